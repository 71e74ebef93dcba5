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

"Every record can be read as it stood on a date (facts effective on or before D, applied in
effective order) and as known at a time (only what had been recorded by T), and both together.
The current state is the latest *effective* one: a status change dated 15 December 2023 entered
after one dated 30 April 2024 is history, not the current status."

The rules for refusing an entry are the handbook's invariants plus the issue's ("an action is
not due before it was agreed") and those of this implementation: a change of status
(completion, cancellation, reopening; a recommendation's closing and reopening) cannot take
effect before the change of status it follows; a due date or an agency that is already the one
in force on the day a revision or reassignment takes effect is refused; a recommendation's
change of status cannot take effect on a day it was closed, and a closed recommendation takes
none (reopen it first).

Working days here ignore bank holidays: the scenarios stay between September and November 2023,
when England and Wales have none (checked by ``weekdays_after``).
"""

from dataclasses import dataclass, field, replace
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
    status: str | None = None
    rag: str | None = None


def in_effect(entries: list[Entry], as_of: date | None = None) -> list[Entry]:
    """The entries in force on ``as_of`` (all, if None), in the order they took effect: a
    stable sort, so ties stay in the order recorded."""
    return sorted(
        (e for e in entries if as_of is None or e.effective_on <= as_of),
        key=lambda e: e.effective_on,
    )


def known(entries: list[Entry], known_at: datetime | None) -> list[Entry]:
    return [e for e in entries if known_at is None or e.recorded_at <= known_at]


@dataclass(frozen=True)
class ActionState:
    status: str
    agency: str
    due_on: date
    since: date  # when its status took effect
    revisions: int


@dataclass
class ActionRecords:
    """What the partnership's records say of one action, entry by entry."""

    entries: list[Entry] = field(default_factory=list)

    def state(
        self, as_of: date | None = None, known_at: datetime | None = None
    ) -> ActionState | None:
        """As it stood on ``as_of`` as known at ``known_at`` (each: now, if None); None if not
        recorded by then or not yet agreed on that day."""
        entries = known(self.entries, known_at)
        if not entries or (as_of is not None and entries[0].effective_on > as_of):
            return None
        agreed = entries[0]
        assert agreed.agency is not None
        assert agreed.due_on is not None
        state = ActionState("open", agreed.agency, agreed.due_on, agreed.effective_on, 0)
        for entry in in_effect(entries[1:], as_of):
            if entry.change == "revised":
                assert entry.due_on is not None
                state = replace(state, due_on=entry.due_on, revisions=state.revisions + 1)
            elif entry.change == "reassigned":
                assert entry.agency is not None
                state = replace(state, agency=entry.agency)
            else:
                status = {"completed": "completed", "cancelled": "cancelled"}.get(
                    entry.change, "open"
                )
                state = replace(state, status=status, since=entry.effective_on)
        return state

    def leaves_as_it_was(self, entry: Entry) -> bool:
        """Whether an accepted revision or reassignment, back-dated before facts that took
        effect after it, leaves the current due date or agency as it was (the answer says so)."""
        if entry.change not in ("revised", "reassigned"):
            return False
        later = [e for e in self.entries[1:] if e.effective_on > entry.effective_on]
        if not later:
            return False
        before, after = self.state(), self.state_with(entry)
        assert before is not None
        assert after is not None
        if entry.change == "revised":
            return before.due_on == after.due_on
        return before.agency == after.agency

    def state_with(self, entry: Entry) -> ActionState | None:
        return ActionRecords([*self.entries, entry]).state()

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
        now, then = self.state(), self.state(entry.effective_on)
        assert now is not None
        assert then is not None
        is_open = now.status == "open"
        if entry.change == "revised":
            assert entry.due_on is not None
            return is_open and entry.due_on != then.due_on and entry.due_on >= agreed_on
        if entry.change == "reassigned":
            return is_open and entry.agency != then.agency
        if entry.change in ("completed", "cancelled"):
            return is_open and entry.effective_on >= now.since
        return not is_open and entry.effective_on >= now.since  # reopened

    def overdue(self, as_of: date, known_at: datetime) -> tuple[str, date, int, int] | None:
        """(agency, due date, days overdue, revisions) if overdue as of D as known at T."""
        state = self.state(as_of, known_at)
        if state is None:
            return None  # not recorded yet, or not yet agreed on D
        if state.status == "open" and state.due_on < as_of:
            return state.agency, state.due_on, (as_of - state.due_on).days, state.revisions
        return None


@dataclass(frozen=True)
class RecommendationState:
    status: str
    rag: str | None
    since: date  # when its status took effect
    responses: tuple[int, ...]  # response numbers, in the order of their dates


@dataclass
class RecommendationRecords:
    """A recommendation: raised, then responses, status changes, closings and reopenings, each
    with the day it took effect (``change``: raised, response, status, closed, reopened)."""

    entries: list[Entry] = field(default_factory=list)

    def state(
        self, as_of: date | None = None, known_at: datetime | None = None
    ) -> RecommendationState | None:
        entries = known(self.entries, known_at)
        if not entries or (as_of is not None and entries[0].effective_on > as_of):
            return None
        state = RecommendationState("open", None, entries[0].effective_on, ())
        numbers = {id(e): n for n, e in enumerate(self.responses(), 1)}
        for entry in in_effect(entries[1:], as_of):
            if entry.change == "response":
                state = replace(state, responses=(*state.responses, numbers[id(entry)]))
            elif entry.change == "status":
                assert entry.status is not None
                state = replace(state, status=entry.status, rag=entry.rag, since=entry.effective_on)
            elif entry.change == "closed":
                state = replace(state, status="closed", since=entry.effective_on)
            else:
                state = replace(state, status="in-progress", since=entry.effective_on)
        return state

    def responses(self) -> list[Entry]:
        return [e for e in self.entries if e.change == "response"]

    def status_changes(self) -> list[Entry]:
        """Every change of standing, in the order they took effect."""
        return in_effect([e for e in self.entries if e.change in ("status", "closed", "reopened")])

    def accepts(self, entry: Entry) -> bool:
        if entry.effective_on > london_date(entry.recorded_at):
            return False
        if entry.effective_on < self.entries[0].effective_on:
            return False  # nothing takes effect before it was raised
        now = self.state()
        assert now is not None
        if entry.change == "reopened":
            return now.status == "closed" and entry.effective_on >= now.since
        if now.status == "closed":
            return False  # reopen it first
        if entry.change == "response":
            return True
        if entry.change == "closed":
            return bool(self.responses()) and entry.effective_on >= now.since
        then = self.state(entry.effective_on)
        assert then is not None
        return then.status != "closed"  # a status change, not on a day it was closed

    def leaves_as_it_was(self, entry: Entry) -> bool:
        """Whether an accepted status change, back-dated before facts that took effect after
        it, leaves the current status and RAG as they were."""
        if entry.change != "status":
            return False
        if not any(e.effective_on > entry.effective_on for e in self.entries[1:]):
            return False
        before = self.state()
        after = RecommendationRecords([*self.entries, entry]).state()
        assert before is not None
        assert after is not None
        return (before.status, before.rag) == (after.status, after.rag)


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
