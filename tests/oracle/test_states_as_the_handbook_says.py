"""Out-of-order entries: every state, list and read model against the handbook's one oracle.

Hypothesis types in an action, a recommendation and a strategy meeting, then changes at
increasing recorded times (frozen clock), each dated any day from just before the record began
to the day it is entered, so that most land before facts entered earlier: due-date revisions,
reassignments, completions, cancellations, reopenings; responses, status changes, closings,
reopenings; shares of the meeting's record and assessments of its quality (an invitation and an
attendance typed in after the meeting was held take effect on its request and held days). The
system must refuse exactly what the oracle
refuses and say, in the answer's note, exactly when a back-dated change left the current state
as it was. Then, on both stores, the oracle's answer must be given by:

- the current state (``GET /{id}``) and the state as of every day of the period, as known now,
  at each recorded time and just before it (``?as_of=&known_at=``), a 404 where the oracle has
  no record;
- the lists' filters (``GET /actions``, ``/recommendations``: which items match a status, an
  agency, a RAG rating, a due date), whose items are those current states;
- the overdue actions report, and the response history report's changes of status, which the
  console's page (derived from the aggregate) gives the same.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from application import commands as c
from application.errors import NotFound
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.codes import (
    ActionSourceKind,
    MeetingFormat,
    MeetingKind,
    QualityRating,
    Rag,
    RecommendationSourceKind,
    RecommendationStatus,
)
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from infrastructure.presentation.as_at import response_history_of
from projections.listing import ActionFilter, RecommendationFilter
from projections.service import ReadService
from tests.builders import recorded_at
from tests.oracle.handbook import ActionRecords, Entry, RecommendationRecords, london_date
from tests.oracle.stores import ACTOR, answer, examples_on, fresh
from tests.oracle.test_oracle import command_of

START = datetime(2023, 9, 25, 9, tzinfo=UTC)  # a Monday
AGENCIES = ("health", "police", "childrens-social-care")
STATUSES = ("in-progress", "implemented", "assured")
RAGS = (None, "red", "amber", "green")
TICK = timedelta(microseconds=1)

day = st.integers(-2, 20)  # days after the record began (at most the day entered)
change = st.one_of(
    st.tuples(st.just("revised"), st.integers(-3, 25), day),
    st.tuples(st.just("reassigned"), st.sampled_from(AGENCIES), day),
    st.tuples(st.sampled_from(["completed", "cancelled", "reopened"]), st.none(), day),
    st.tuples(st.just("response"), st.none(), day),
    st.tuples(st.just("status"), st.tuples(st.sampled_from(STATUSES), st.sampled_from(RAGS)), day),
    st.tuples(st.sampled_from(["closed", "rec-reopened"]), st.none(), day),
    st.tuples(st.just("shared"), st.none(), st.integers(0, 100)),
    st.tuples(st.just("assessed"), st.none(), day),
)
steps = st.lists(st.tuples(change, st.integers(1, 60)), min_size=1, max_size=12)


def recommendation_command(entry: Entry, rec_id: UUID) -> c.Command:
    if entry.change == "response":
        return c.RecordResponse(recommendation_id=rec_id, text="r", dated=entry.effective_on)
    if entry.change == "status":
        return c.ChangeRecommendationStatus(
            recommendation_id=rec_id,
            status=RecommendationStatus(entry.status),
            rag=Rag(entry.rag) if entry.rag else None,
            reason="r",
            effective_on=entry.effective_on,
        )
    if entry.change == "closed":
        return c.CloseRecommendation(
            recommendation_id=rec_id, evidence="e", reason="r", effective_on=entry.effective_on
        )
    return c.ReopenRecommendation(
        recommendation_id=rec_id, reason="r", effective_on=entry.effective_on
    )


def test_states_lists_and_reports_answer_as_the_handbook_says(store: str) -> None:
    @examples_on(store, 20)
    @given(
        agreed_back=st.integers(0, 10),
        due_after=st.integers(0, 12),
        raised_back=st.integers(0, 10),
        held_back=st.integers(0, 40),
        steps=steps,
    )
    def example(
        agreed_back: int,
        due_after: int,
        raised_back: int,
        held_back: int,
        steps: list[tuple[tuple[str, Any, int], int]],
    ) -> None:
        with fresh(store) as (app, reads):
            check(app, reads, agreed_back, due_after, raised_back, held_back, steps)

    example()


def check(
    app: ActionTrail,
    reads: ReadService,
    agreed_back: int,
    due_after: int,
    raised_back: int,
    held_back: int,
    steps: list[tuple[tuple[str, Any, int], int]],
) -> None:
    now = START
    today = london_date(now)
    action, rec = ActionRecords(), RecommendationRecords()
    agreed_on, raised_on = today - timedelta(days=agreed_back), today - timedelta(days=raised_back)
    action.entries.append(
        Entry(
            "agreed", agreed_on, now, due_on=agreed_on + timedelta(days=due_after), agency="health"
        )
    )
    rec.entries.append(Entry("raised", raised_on, now))
    held_at = now - timedelta(hours=held_back)
    shares: list[tuple[datetime, datetime]] = []  # (recorded, shared)
    with recorded_at(now):
        action_id = app.execute(
            c.AssignAction(
                source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref="M"),
                agency="health",
                description="d",
                due_on=action.entries[0].due_on,
                agreed_on=agreed_on,
            ),
            ACTOR,
        ).id
        rec_id = app.execute(
            c.RaiseRecommendation(
                source=c.RecommendationSourceIn(
                    kind=RecommendationSourceKind.AUDIT, ref="A", title="Audit"
                ),
                number=1,
                text="t",
                raised_on=raised_on,
            ),
            ACTOR,
        ).id
        meeting_id = app.execute(
            c.RequestMeeting(
                case_ref="C",
                concern_raised_at=held_at - timedelta(hours=1),
                kind=MeetingKind.OTHER,
                team="T",
            ),
            ACTOR,
        ).id
        app.execute(
            c.HoldMeeting(meeting_id=meeting_id, held_at=held_at, format=MeetingFormat.PHONE),
            ACTOR,
        )
        app.execute(c.InviteAgency(meeting_id=meeting_id, agency="police"), ACTOR)
        app.execute(
            c.RecordAttendance(meeting_id=meeting_id, agency="police", attended=True), ACTOR
        )
    requested_on, held_on = london_date(held_at - timedelta(hours=1)), london_date(held_at)
    assessments: list[tuple[datetime, date]] = []  # (recorded, assessed on)
    moments = [now]
    for (kind, value, offset), hours in steps:
        now += timedelta(hours=hours)
        moments.append(now)
        if kind == "shared":
            shared_at = held_at + (now - held_at) * offset / 100
            share = c.ShareRecord(meeting_id=meeting_id, shared_at=shared_at, agencies=["police"])
            assert answer(app, share, now) is not None
            shares.append((now, shared_at))
            continue
        if kind == "assessed":
            assessed_on = min(london_date(now), held_on + timedelta(days=offset))
            assess = c.AssessRecordQuality(
                meeting_id=meeting_id,
                rating=QualityRating.CLEAR,
                audit_ref="A",
                assessed_on=assessed_on,
            )
            accepted = answer(app, assess, now) is not None
            assert accepted == (assessed_on >= held_on), assessed_on
            if accepted:
                assessments.append((now, assessed_on))
            continue
        on_action = kind in ("revised", "reassigned", "completed", "cancelled", "reopened")
        records: ActionRecords | RecommendationRecords = action if on_action else rec
        start = records.entries[0].effective_on
        entry = Entry(
            "reopened" if kind == "rec-reopened" else kind,
            min(london_date(now), start + timedelta(days=offset)),
            now,
            due_on=start + timedelta(days=value) if kind == "revised" else None,
            agency=value if kind == "reassigned" else None,
            status=value[0] if kind == "status" else None,
            rag=value[1] if kind == "status" else None,
        )
        expected = records.accepts(entry)
        noted = expected and records.leaves_as_it_was(entry)
        command = (
            command_of(entry, action_id) if on_action else recommendation_command(entry, rec_id)
        )
        result = answer(app, command, now)
        assert (result is not None) == expected, entry
        if result is not None:
            assert (result.note is not None) == noted, (entry, result.note)
            if result.note is not None:
                assert result.note.startswith("recorded; the current ")
            records.entries.append(entry)
    reads.runner.catch_up()

    first = min(agreed_on, raised_on, london_date(held_at)) - timedelta(days=1)
    days = [first + timedelta(days=n) for n in range((london_date(now) - first).days + 2)]
    cuts: list[datetime | None] = [None, *moments, *(m - TICK for m in moments)]

    # The current state and every past state: one fold, one oracle.
    for as_of in [None, *days]:
        for known_at in cuts:
            want_action = action.state(as_of, known_at)
            got_action = past(app, action_id, AgencyAction, as_of, known_at)
            assert (
                None
                if got_action is None
                else (got_action.status.value, got_action.agency, got_action.due_on)
            ) == (
                None
                if want_action is None
                else (want_action.status, want_action.agency, want_action.due_on)
            ), (as_of, known_at)
            want_rec = rec.state(as_of, known_at)
            got_rec = past(app, rec_id, Recommendation, as_of, known_at)
            assert (
                None
                if got_rec is None
                else (
                    got_rec.status.value,
                    got_rec.rag.value if got_rec.rag else None,
                    tuple(r.number for r in got_rec.responses),
                )
            ) == (
                None if want_rec is None else (want_rec.status, want_rec.rag, want_rec.responses)
            ), (as_of, known_at)
            got_meeting = past(app, meeting_id, StrategyMeeting, as_of, known_at)
            meeting_then = (known_at is None or known_at >= START) and (
                as_of is None or as_of >= requested_on
            )
            assert (got_meeting is not None) == meeting_then, (as_of, known_at)
            if got_meeting is not None:
                in_force = [
                    shared
                    for recorded, shared in shares
                    if (known_at is None or recorded <= known_at)
                    and (as_of is None or london_date(shared) <= as_of)
                ]
                assert got_meeting.record_shared_at == min(in_force, default=None)
                assert [i.agency for i in got_meeting.invited] == ["police"]
                held_then = as_of is None or as_of >= held_on
                assert [a.agency for a in got_meeting.attendance] == (
                    ["police"] if held_then else []
                )
                assert [q.assessed_on for q in got_meeting.quality_assessments] == sorted(
                    assessed
                    for recorded, assessed in assessments
                    if (known_at is None or recorded <= known_at)
                    and (as_of is None or assessed <= as_of)
                ), (as_of, known_at)  # in the order they took effect

    # The lists' filters pick the items whose current state matches.
    current_action = action.state()
    current_rec = rec.state()
    assert current_action is not None
    assert current_rec is not None
    for status in ("open", "completed", "cancelled"):
        listed = action_id in reads.action_list(ActionFilter(status=status)).ids
        assert listed == (current_action.status == status)
    for agency in AGENCIES:
        listed = action_id in reads.action_list(ActionFilter(agency=agency)).ids
        assert listed == (current_action.agency == agency)
    for before in (current_action.due_on, current_action.due_on + timedelta(days=1)):
        listed = action_id in reads.action_list(ActionFilter(due_before=before)).ids
        assert listed == (current_action.due_on < before)
    for status in ("open", *STATUSES, "closed"):
        listed = rec_id in reads.recommendation_list(RecommendationFilter(status=status)).ids
        assert listed == (current_rec.status == status), status
    for rag in RAGS[1:]:
        listed = rec_id in reads.recommendation_list(RecommendationFilter(rag=rag)).ids
        assert listed == (current_rec.rag == rag), rag

    # The reports: overdue as of every day, and the changes of status in the order they took
    # effect, as the console's page derives them from the aggregate.
    for as_of in days:
        for known_at in (moments[len(moments) // 2], now):
            report = reads.overdue_actions(as_of, None, known_at)
            got = [
                (r.agency, r.due_on, r.days_overdue, r.revisions)
                for r in report.rows
                if r.action_id == action_id
            ]
            want = action.overdue(as_of, known_at)
            assert got == ([want] if want else []), (as_of, known_at)
    history = reads.response_history(rec_id)
    assert [(s.status, s.rag, s.effective_on) for s in history.status_changes] == [
        (
            {"closed": "closed", "reopened": "in-progress"}.get(e.change, e.status),
            e.rag,
            e.effective_on,
        )
        for e in rec.status_changes()
    ]
    on_page = response_history_of(app.get(rec_id, ACTOR, Recommendation))
    assert on_page.model_dump() == history.model_dump()


def past(
    app: ActionTrail,
    aggregate_id: UUID,
    kind: type[Any],
    as_of: date | None,
    known_at: datetime | None,
) -> Any:
    """The state as ``GET /{id}?as_of=&known_at=`` answers it; None for its 404."""
    if as_of is None and known_at is None:
        return app.get(aggregate_id, ACTOR, kind)
    try:
        return app.state_at(aggregate_id, ACTOR, kind, as_of=as_of, known_at=known_at)
    except NotFound:
        return None
