"""Random command sequences: read models kept up incrementally equal a rebuild from scratch."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from application import commands as c
from domain.codes import (
    ActionSourceKind,
    MeetingFormat,
    MeetingKind,
    QualityRating,
    Rag,
    RecommendationSourceKind,
    RecommendationStatus,
)
from infrastructure.read_side import build_runner
from tests.builders import read_models, rebuilt
from tests.conftest import fresh_application
from tests.oracle.stores import answer, examples_on

START = datetime(2023, 1, 2, 9, tzinfo=UTC)
AGENCIES = ("childrens-social-care", "police", "health", "education")
OPS = (
    "meeting",
    "invite",
    "hold",
    "attend",
    "share",
    "cancel_meeting",
    "assess",
    "action",
    "revise",
    "reassign",
    "complete",
    "cancel_action",
    "reopen_action",
    "recommendation",
    "respond",
    "correct",
    "status",
    "close",
    "reopen_recommendation",
    "catch_up",
)

steps = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 3), st.integers(0, 40), st.booleans()),
    min_size=5,
    max_size=45,
)


def command(op: str, n: int, now: datetime, flag: bool, ids: dict[str, list[UUID]]) -> Any:
    """The command for one step, or None when it needs an aggregate that does not exist yet."""
    today = now.date()
    if op == "meeting":
        return c.RequestMeeting(
            case_ref=f"C{n}",
            concern_raised_at=now - timedelta(hours=30 * n),
            kind=MeetingKind.OTHER,
            team=f"T{n % 2}",
        )
    if op == "action":
        return c.AssignAction(
            source=c.ActionSourceIn(kind=ActionSourceKind.OTHER, ref=f"R{n}"),
            agency=AGENCIES[n],
            description="Do it",
            due_on=today + timedelta(days=7 * n - 10),
            agreed_on=today - timedelta(days=14),
        )
    if op == "recommendation":
        return c.RaiseRecommendation(
            source=c.RecommendationSourceIn(
                kind=RecommendationSourceKind.AUDIT, ref="AUD", title="Audit"
            ),
            number=n + 1,
            text="Improve",
            raised_on=today,
        )
    group = {
        "invite": "m",
        "hold": "m",
        "attend": "m",
        "share": "m",
        "cancel_meeting": "m",
        "assess": "m",
        "respond": "r",
        "correct": "r",
        "status": "r",
        "close": "r",
        "reopen_recommendation": "r",
    }.get(op, "a")
    if not ids[group]:
        return None
    target = ids[group][n % len(ids[group])]
    agency = AGENCIES[n]
    built: dict[str, Any] = {
        "invite": lambda: c.InviteAgency(meeting_id=target, agency=agency),
        "hold": lambda: c.HoldMeeting(
            meeting_id=target, held_at=now - timedelta(hours=n), format=MeetingFormat.PHONE
        ),
        "attend": lambda: c.RecordAttendance(meeting_id=target, agency=agency, attended=flag),
        "share": lambda: c.ShareRecord(
            meeting_id=target, shared_at=now - timedelta(hours=n), agencies=[agency]
        ),
        "cancel_meeting": lambda: c.CancelMeeting(meeting_id=target, reason="No longer needed"),
        "assess": lambda: c.AssessRecordQuality(
            meeting_id=target,
            rating=QualityRating.CLEAR if flag else QualityRating.LACKS_CLARITY,
            audit_ref=f"A{n % 2}",
        ),
        "revise": lambda: c.ReviseDueDate(
            action_id=target,
            due_on=today + timedelta(days=3 * n - 4),
            reason="Moved",
            effective_on=today - timedelta(days=n),
        ),
        "reassign": lambda: c.ReassignAction(
            action_id=target,
            agency=agency,
            reason="Moved",
            effective_on=today - timedelta(days=2 * n),
        ),
        "complete": lambda: c.CompleteAction(
            action_id=target, completed_on=today - timedelta(days=5 * n), evidence="Done"
        ),
        "cancel_action": lambda: c.CancelAction(
            action_id=target, reason="Dup", effective_on=today - timedelta(days=n)
        ),
        "reopen_action": lambda: c.ReopenAction(
            action_id=target, reason="Again", effective_on=today - timedelta(days=n // 2)
        ),
        "respond": lambda: c.RecordResponse(
            recommendation_id=target, text=f"Response {n}", dated=today - timedelta(days=n)
        ),
        "correct": lambda: c.CorrectResponse(
            recommendation_id=target, number=n % 2 + 1, text="Corrected", reason="Typo"
        ),
        "status": lambda: c.ChangeRecommendationStatus(
            recommendation_id=target,
            status=RecommendationStatus.IN_PROGRESS,
            rag=Rag.GREEN if flag else None,
            reason="Progress",
            effective_on=today - timedelta(days=n),
        ),
        "close": lambda: c.CloseRecommendation(
            recommendation_id=target,
            evidence="Done",
            reason="Done",
            override=flag,
            effective_on=today - timedelta(days=n),
        ),
        "reopen_recommendation": lambda: c.ReopenRecommendation(
            recommendation_id=target, reason="Again", effective_on=today - timedelta(days=n // 2)
        ),
    }
    return built[op]()


def test_incremental_read_models_equal_a_rebuild(store: str) -> None:
    @examples_on(store, 12)
    @given(steps=steps, batch_size=st.integers(1, 6))
    def check(steps: list[tuple[str, int, int, bool]], batch_size: int) -> None:
        with fresh_application(store) as (settings_, app):
            runner = build_runner(settings_, app, batch_size=batch_size)
            try:
                ids: dict[str, list[UUID]] = {"m": [], "a": [], "r": []}
                now = START
                for op, n, hours, flag in steps:
                    now += timedelta(hours=hours)
                    if op == "catch_up":
                        runner.catch_up()
                        continue
                    cmd = command(op, n, now, flag, ids)
                    result = None if cmd is None else answer(app, cmd, now)
                    if result is not None and op in ("meeting", "action", "recommendation"):
                        ids[{"meeting": "m", "action": "a", "recommendation": "r"}[op]].append(
                            result.id
                        )
                runner.catch_up()
                incremental = read_models(runner.engine)
                assert incremental == rebuilt(runner)
                assert sum(len(rows) for rows in incremental.values()) > 0
            finally:
                runner.engine.dispose()

    check()
