"""Back-dated and late entries against the handbook's oracle, on both stores.

Hypothesis types in an action and a strategy meeting, then changes at increasing recorded times
(frozen clock), each dated any day from just before the action was agreed to the day it is
entered: revisions, reassignments, completions, cancellations and reopenings, and shares of the
record dated anywhere between the meeting and the moment entered; so completions land before
revisions and reassignments entered earlier, and shares arrive out of order. The system must
refuse exactly what the oracle refuses, and the read models must answer overdue(D, T) and
timeliness(F, L, T) as the oracle does, for every D of the period and T at each recorded time
and just before it.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from application import commands as c
from application.service import ActionTrail
from domain.codes import ActionSourceKind, MeetingFormat, MeetingKind
from projections.base import Period
from projections.overdue import query_overdue_actions
from projections.service import ReadService
from projections.timeliness import query_meeting_timeliness
from tests.builders import recorded_at
from tests.oracle.handbook import ActionRecords, Entry, MeetingRecords, london_date
from tests.oracle.stores import ACTOR, answer, examples_on, fresh

START = datetime(2023, 9, 25, 9, tzinfo=UTC)  # a Monday; no bank holiday until Christmas
AGENCIES = ("health", "police", "childrens-social-care")
TICK = timedelta(microseconds=1)

day = st.integers(-2, 20)  # days after the action was agreed (at most the day entered)
change = st.one_of(
    st.tuples(st.just("revised"), st.integers(-3, 25), day),
    st.tuples(st.just("reassigned"), st.sampled_from(AGENCIES), day),
    st.tuples(st.sampled_from(["completed", "cancelled", "reopened"]), st.none(), day),
    st.tuples(st.just("shared"), st.none(), st.integers(0, 100)),
)
steps = st.lists(st.tuples(change, st.integers(1, 50), st.booleans()), min_size=1, max_size=9)


def command_of(entry: Entry, action_id: Any) -> c.Command:
    if entry.change == "revised":
        assert entry.due_on is not None
        return c.ReviseDueDate(
            action_id=action_id, due_on=entry.due_on, reason="r", effective_on=entry.effective_on
        )
    if entry.change == "reassigned":
        assert entry.agency is not None
        return c.ReassignAction(
            action_id=action_id, agency=entry.agency, reason="r", effective_on=entry.effective_on
        )
    if entry.change == "completed":
        return c.CompleteAction(action_id=action_id, completed_on=entry.effective_on, evidence="e")
    if entry.change == "cancelled":
        return c.CancelAction(action_id=action_id, reason="r", effective_on=entry.effective_on)
    return c.ReopenAction(action_id=action_id, reason="r", effective_on=entry.effective_on)


def test_the_read_models_answer_as_the_handbook_says(store: str) -> None:
    @examples_on(store, 30)
    @given(
        agreed_back=st.integers(0, 10),
        due_after=st.integers(0, 12),
        held_back=st.integers(0, 40),
        concern_before=st.integers(0, 60),
        steps=steps,
        batch_size=st.integers(1, 4),
    )
    def example(
        agreed_back: int,
        due_after: int,
        held_back: int,
        concern_before: int,
        steps: list[tuple[tuple[str, Any, int], int, bool]],
        batch_size: int,
    ) -> None:
        with fresh(store, batch_size) as (app, reads):
            check(app, reads, agreed_back, due_after, held_back, concern_before, steps)

    example()


def check(
    app: ActionTrail,
    reads: ReadService,
    agreed_back: int,
    due_after: int,
    held_back: int,
    concern_before: int,
    steps: list[tuple[tuple[str, Any, int], int, bool]],
) -> None:
    now = START
    agreed_on = london_date(now) - timedelta(days=agreed_back)
    action = ActionRecords()
    first = Entry(
        "agreed", agreed_on, now, due_on=agreed_on + timedelta(days=due_after), agency="health"
    )
    action.entries.append(first)
    with recorded_at(now):
        action_id = app.execute(
            c.AssignAction(
                source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref="M"),
                agency="health",
                description="d",
                due_on=first.due_on,
                agreed_on=agreed_on,
            ),
            ACTOR,
        ).id
        held_at = now - timedelta(hours=held_back)
        meeting = MeetingRecords(held_at - timedelta(hours=concern_before), held_at, now)
        meeting_id = app.execute(
            c.RequestMeeting(
                case_ref="C",
                concern_raised_at=meeting.concern_raised_at,
                kind=MeetingKind.OTHER,
                team="T",
            ),
            ACTOR,
        ).id
        app.execute(
            c.HoldMeeting(meeting_id=meeting_id, held_at=held_at, format=MeetingFormat.PHONE),
            ACTOR,
        )
    moments = [now]  # the recorded times of events
    for (kind, value, offset), hours, catch_up in steps:
        now += timedelta(hours=hours)
        if kind == "shared":
            shared_at = held_at + (now - held_at) * offset / 100
            share = c.ShareRecord(meeting_id=meeting_id, shared_at=shared_at, agencies=["police"])
            assert answer(app, share, now) is not None
            meeting.shares.append((now, shared_at))
            moments.append(now)
        else:
            effective_on = min(london_date(now), agreed_on + timedelta(days=offset))
            entry = Entry(
                kind,
                effective_on,
                now,
                due_on=agreed_on + timedelta(days=value) if kind == "revised" else None,
                agency=value if kind == "reassigned" else None,
            )
            expected = action.accepts(entry)
            assert (answer(app, command_of(entry, action_id), now) is not None) == expected, entry
            if expected:
                action.entries.append(entry)
                moments.append(now)
        if catch_up:
            reads.runner.catch_up()
    reads.runner.catch_up()

    standards = reads.standards
    days = [
        agreed_on + timedelta(days=n) for n in range(-1, (london_date(now) - agreed_on).days + 3)
    ]
    with reads.runner.engine.connect() as conn:
        for moment in moments:
            for known_at in (moment - TICK, moment):
                for as_of in days:
                    report = query_overdue_actions(conn, standards.calendar, as_of, None, known_at)
                    got = [
                        (row.agency, row.due_on, row.days_overdue, row.revisions)
                        for row in report.rows
                        if row.action_id == action_id
                    ]
                    want = action.overdue(as_of, known_at)
                    assert got == ([want] if want else []), (as_of, known_at)
                timeliness = query_meeting_timeliness(
                    conn, standards, Period(date(2023, 9, 1), date(2023, 11, 30), known_at)
                )
                got_rows = [
                    (
                        row.working_days_to_meeting,
                        row.held_within_standard,
                        row.record_shared_at,
                        row.working_days_to_record_shared,
                        row.record_shared_within_standard,
                    )
                    for row in timeliness.rows
                ]
                want_row = meeting.timeliness(
                    date(2023, 9, 1),
                    date(2023, 11, 30),
                    known_at,
                    standards.meeting_within_working_days,
                    standards.record_shared_within_working_days,
                )
                assert got_rows == ([want_row] if want_row else []), known_at
