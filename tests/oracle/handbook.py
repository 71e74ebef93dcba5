"""An oracle written from the handbook's words, not from the projections.

"Every change to an action ... can carry the date it took effect ... When the caller gives none,
it takes effect on the (London) date it was recorded. An effective date may not lie in the
future, and nothing about an action can take effect before the action was agreed. Reports 'as
of D' use effective dates; 'as known at T' uses recorded time. Facts are applied in the order
they took effect (ties in the order recorded), not the order they were typed in."

"An action is overdue as of date D when it is neither completed nor cancelled as of D and its
current due date is before D." "Timescales are counted in working days: Monday to Friday, less
bank holidays ... The day of the event is day 0; 'within 3 working days' means on or before the
third working day after it."

The rules for refusing an entry are the handbook's invariants plus the issue's ("an action is
not due before it was agreed") and one of this implementation: a change of status (completion,
cancellation, reopening) cannot take effect before the change of status it follows.

Working days here ignore bank holidays: the scenarios stay between September and November 2023,
when England and Wales have none (checked by ``weekdays_after``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
NO_BANK_HOLIDAYS = (date(2023, 8, 29), date(2023, 12, 24))


def london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def weekdays_after(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (day 0 is ``start``)."""
    assert NO_BANK_HOLIDAYS[0] <= start <= end <= NO_BANK_HOLIDAYS[1]
    days = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(day.weekday() < 5 for day in days)


def within(start: date, end: date, working_days: int) -> bool:
    """On or before the ``working_days``-th working day after ``start``."""
    day, counted = start, 0
    while counted < working_days:
        day += timedelta(days=1)
        counted += day.weekday() < 5
    return end <= day


@dataclass(frozen=True)
class Entry:
    """A change to an action as typed in: what, when it took effect, when it was recorded."""

    change: str  # agreed, revised, reassigned, completed, cancelled, reopened
    effective_on: date
    recorded_at: datetime
    due_on: date | None = None
    agency: str | None = None


@dataclass
class ActionRecords:
    """What the partnership's records say of one action, entry by entry."""

    entries: list[Entry] = field(default_factory=list)

    def _now(self) -> tuple[str, str, date, date]:
        """Status, agency, due date and the date its status took effect, as last entered."""
        agreed = self.entries[0]
        assert agreed.agency is not None
        assert agreed.due_on is not None
        status, agency, due_on, since = "open", agreed.agency, agreed.due_on, agreed.effective_on
        for entry in self.entries[1:]:
            if entry.change == "revised":
                assert entry.due_on is not None
                due_on = entry.due_on
            elif entry.change == "reassigned":
                assert entry.agency is not None
                agency = entry.agency
            else:
                status = {"completed": "completed", "cancelled": "cancelled"}.get(
                    entry.change, "open"
                )
                since = entry.effective_on
        return status, agency, due_on, since

    def accepts(self, entry: Entry) -> bool:
        """Whether the system must take this entry (otherwise it refuses it, writing nothing)."""
        if entry.effective_on > london_date(entry.recorded_at):
            return False  # an effective date may not lie in the future
        if entry.change == "agreed":
            assert entry.due_on is not None
            return entry.due_on >= entry.effective_on  # not due before it was agreed
        agreed_on = self.entries[0].effective_on
        if entry.effective_on < agreed_on:
            return False  # nothing takes effect before the action was agreed
        status, agency, due_on, since = self._now()
        if entry.change == "revised":
            assert entry.due_on is not None
            return status == "open" and entry.due_on != due_on and entry.due_on >= agreed_on
        if entry.change == "reassigned":
            return status == "open" and entry.agency != agency
        if entry.change in ("completed", "cancelled"):
            return status == "open" and entry.effective_on >= since
        return status != "open" and entry.effective_on >= since  # reopened

    def overdue(self, as_of: date, known_at: datetime) -> tuple[str, date, int, int] | None:
        """(agency, due date, days overdue, revisions) if overdue as of D as known at T."""
        known = [e for e in self.entries if e.recorded_at <= known_at]
        if not known or known[0].effective_on > as_of:
            return None  # not recorded yet, or not yet agreed on D
        agreed = known[0]
        assert agreed.agency is not None
        assert agreed.due_on is not None
        status, agency, due_on, revisions = "open", agreed.agency, agreed.due_on, 0
        in_effect = sorted(
            (e for e in known[1:] if e.effective_on <= as_of), key=lambda e: e.effective_on
        )  # a stable sort: ties stay in the order recorded
        for entry in in_effect:
            if entry.change == "revised":
                assert entry.due_on is not None
                due_on, revisions = entry.due_on, revisions + 1
            elif entry.change == "reassigned":
                assert entry.agency is not None
                agency = entry.agency
            elif entry.change in ("completed", "cancelled"):
                status = entry.change
            else:
                status = "open"
        if status == "open" and due_on < as_of:
            return agency, due_on, (as_of - due_on).days, revisions
        return None


@dataclass
class MeetingRecords:
    """A strategy meeting: when the concern was raised, when held, and every share entered."""

    concern_raised_at: datetime
    held_at: datetime
    recorded_at: datetime
    shares: list[tuple[datetime, datetime]] = field(default_factory=list)  # (recorded, shared)

    def timeliness(
        self, first: date, last: date, known_at: datetime, meeting_days: int, record_days: int
    ) -> tuple[int, bool, datetime | None, int | None, bool] | None:
        """Working days to the meeting, within standard, first shared, working days to it,
        within standard; None if not held from ``first`` to ``last`` as known at T."""
        held_on = london_date(self.held_at)
        if self.recorded_at > known_at or not first <= held_on <= last:
            return None
        concern_on = london_date(self.concern_raised_at)
        to_meeting = weekdays_after(concern_on, held_on)
        held_in_time = within(concern_on, held_on, meeting_days)
        known = [shared for recorded, shared in self.shares if recorded <= known_at]
        if not known:
            return to_meeting, held_in_time, None, None, False
        first_shared = min(known)  # first shared: the earliest date it was shared
        shared_on = london_date(first_shared)
        to_shared = weekdays_after(held_on, shared_on)
        shared_in_time = within(held_on, shared_on, record_days)
        return to_meeting, held_in_time, first_shared, to_shared, shared_in_time
