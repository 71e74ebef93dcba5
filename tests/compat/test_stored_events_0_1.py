"""Events stored by version 0.1 must stay readable by every later version.

``events-0.1.db`` was written by ``scenario.record`` with version 0.1 and is never rewritten.
On PostgreSQL the same stored events (topics and bytes) are copied into a fresh schema first.
When an event class changes, give it a ``class_version`` and upcast methods; this test then
proves the old events still load.
"""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from application.service import ActionTrail
from domain.action import AgencyAction
from domain.codes import (
    ActionStatus,
    Decision,
    MeetingStatus,
    QualityRating,
    Rag,
    RecommendationStatus,
)
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from infrastructure.config import Settings
from infrastructure.read_side import build_read_service
from infrastructure.storage.fastpaths.decoding import fast_decoder
from tests.compat import stored
from tests.compat.scenario import GOVERNANCE

FIXTURE = Path(__file__).with_name("events-0.1.db")
MEETING = UUID("ad3aed8b-7a6e-5d2f-ab54-bd8b63a03f72")
CANCELLED_MEETING = UUID("24599afb-1179-5190-a684-dbd337ceab8b")
RECOMMENDATION = UUID("77c880f3-0c52-56f2-bdb3-e48b57783844")
RECOMMENDATION_ACTION = UUID("ee7be84c-5629-54c5-8d93-4bd09b874d4e")
MEETING_ACTION = UUID("f4e74a28-1d43-5b3c-9d05-5a9647d615c9")
ACTION = UUID("8eb332ed-d906-5cde-8bc3-5e2b4393aa7d")


def stored_rows() -> list[tuple[str, int, str, bytes]]:
    return stored.stored_rows(FIXTURE)


@pytest.fixture
def old_app(settings: Settings) -> ActionTrail:
    return stored.load(FIXTURE, settings)


def test_fixture_holds_every_event_type() -> None:
    topics = {row[2] for row in stored_rows()}
    assert len(topics) == 26


def test_meetings_of_0_1_still_load(old_app: ActionTrail) -> None:
    meeting = old_app.get(MEETING, GOVERNANCE, StrategyMeeting)
    assert meeting.status is MeetingStatus.HELD
    assert meeting.held_at == datetime(2023, 6, 14, 10, tzinfo=UTC)
    assert meeting.scheduled_for == datetime(2023, 6, 14, 10, tzinfo=UTC)
    assert [(i.agency, i.role) for i in meeting.invited] == [
        ("police", None),
        ("health", "mash-nurse"),
    ]
    assert [(a.agency, a.attended, a.note) for a in meeting.attendance] == [
        ("police", True, None),
        ("health", False, "Apologies"),
    ]
    assert meeting.decisions[0].decision is Decision.SECTION_47
    assert meeting.action_ids == [MEETING_ACTION]
    assert meeting.record_shared_with == ["health", "police"]
    assert meeting.quality_assessments[0].rating is QualityRating.LACKS_CLARITY
    cancelled = old_app.get(CANCELLED_MEETING, GOVERNANCE, StrategyMeeting)
    assert (cancelled.status, cancelled.cancellation_reason) == (
        MeetingStatus.CANCELLED,
        "Child found",
    )


def test_recommendations_of_0_1_still_load(old_app: ActionTrail) -> None:
    rec = old_app.get(RECOMMENDATION, GOVERNANCE, Recommendation)
    assert rec.status is RecommendationStatus.IN_PROGRESS  # closed, then reopened
    assert rec.rag is Rag.AMBER
    assert rec.source.ref == "SM-AUDIT-2023"
    response = rec.responses[0]
    assert (response.dated, response.agency) == (date(2023, 12, 1), "health")
    assert response.original_text == "MASH nurses coordinate"
    assert response.text == "MASH nurses coordinate health attendance"
    assert response.recorded_at == datetime(2023, 12, 5, 11, 15, tzinfo=UTC)
    assert rec.assurances[0].measures[0].numerator == 14
    assert rec.action_ids == [RECOMMENDATION_ACTION]


def test_actions_of_0_1_still_load(old_app: ActionTrail) -> None:
    action = old_app.get(ACTION, GOVERNANCE, AgencyAction)
    assert action.status is ActionStatus.OPEN  # cancelled, then reopened
    assert action.agency == "police"
    assert (action.original_due_on, action.due_on) == (date(2023, 12, 1), date(2024, 1, 15))
    assert action.proposals[0].proposed_by == "health-1"
    # 0.3: a version 1 proposal would have applied from the day it was made, and waits
    assert (action.proposals[0].effective_on, action.proposals[0].status) == (
        date(2023, 11, 1),
        "pending",
    )
    assert action.progress_notes == ["GP contacted"]
    done = old_app.get(RECOMMENDATION_ACTION, GOVERNANCE, AgencyAction)
    assert (done.status, done.completed_on) == (ActionStatus.COMPLETED, date(2024, 1, 8))


def test_history_of_0_1_keeps_actors_and_command_ids(old_app: ActionTrail) -> None:
    history = old_app.history(ACTION, GOVERNANCE, AgencyAction)
    assert [e.command_id for _, e in history] == [f"a-{n}" for n in range(1, 8)]
    assert history[1].event.actor.agency == "health"
    assert history[0].event.timestamp == datetime(2023, 11, 1, 9, tzinfo=UTC)


def test_version_1_events_take_effect_on_the_london_date_they_were_recorded(
    old_app: ActionTrail,
) -> None:
    action = old_app.get(ACTION, GOVERNANCE, AgencyAction)
    assert action.agreed_on == date(2023, 11, 1)
    history = old_app.history(ACTION, GOVERNANCE, AgencyAction)
    assert [(e.type_name(), e.effective) for _, e in history if e.effective is not None] == [
        ("AgencyAction.Assigned", date(2023, 11, 1)),
        ("AgencyAction.DueDateRevised", date(2023, 11, 1)),
        ("AgencyAction.Reassigned", date(2023, 11, 1)),
        ("AgencyAction.Cancelled", date(2023, 11, 1)),
        ("AgencyAction.Reopened", date(2023, 11, 1)),
    ]
    assert history[0].event.data_as_json()["agreed_on"] == "2023-11-01"
    rec_history = old_app.history(RECOMMENDATION, GOVERNANCE, Recommendation)
    assert [
        (e.type_name(), e.effective) for _, e in rec_history if "effective_on" in e.data_as_json()
    ] == [
        ("Recommendation.StatusChanged", date(2023, 12, 5)),
        ("Recommendation.Closed", date(2024, 1, 8)),
        ("Recommendation.Reopened", date(2024, 1, 8)),
    ]


def test_the_fast_decoder_upcasts_version_1_events_as_the_library_does(
    old_app: ActionTrail,
) -> None:
    decode = fast_decoder(old_app)
    notifications = list(old_app.recorder.select_notifications(start=1, limit=1000))
    upcast = 0
    for notification in notifications:
        slow: Any = old_app.mapper.to_domain_event(notification)
        fast = decode(notification)
        assert type(fast) is type(slow)
        assert fast.__dict__ == slow.__dict__
        upcast += getattr(type(fast), "class_version", 1) > 1
    # three assignments, four action changes, three of standing, (0.3) a proposal and two
    # links to actions, and (issue 18) two invitations, two attendances, a decision and a
    # quality assessment
    assert upcast == 19


def test_the_read_models_of_0_1_events(settings: Settings, old_app: ActionTrail) -> None:
    reads = build_read_service(settings, old_app)
    try:
        rows = reads.overdue_actions(date(2024, 1, 16)).rows
        assert [(r.action_id, r.agency, r.due_on, r.revisions, r.agreed_on) for r in rows] == [
            (MEETING_ACTION, "health", date(2023, 6, 16), 0, date(2023, 6, 14)),
            (ACTION, "police", date(2024, 1, 15), 1, date(2023, 11, 1)),
        ]
        assert reads.overdue_actions(date(2023, 10, 31)).rows[0].action_id == MEETING_ACTION
        changes = reads.response_history(RECOMMENDATION).status_changes
        assert [(ch.change, ch.effective_on) for ch in changes] == [
            ("status-changed", date(2023, 12, 5)),
            ("closed", date(2024, 1, 8)),
            ("reopened", date(2024, 1, 8)),
        ]
    finally:
        reads.stop()
        reads.runner.engine.dispose()


def test_version_1_meeting_facts_take_effect_on_the_london_date_they_were_recorded(
    old_app: ActionTrail,
) -> None:
    history = old_app.history(MEETING, GOVERNANCE, StrategyMeeting)
    dated = {
        "StrategyMeeting.AgencyInvited",
        "StrategyMeeting.AttendanceRecorded",
        "StrategyMeeting.DecisionRecorded",
        "StrategyMeeting.QualityAssessed",
    }
    assert [(e.type_name(), e.effective) for _, e in history if e.type_name() in dated] == [
        ("StrategyMeeting.AgencyInvited", date(2023, 6, 13)),
        ("StrategyMeeting.AgencyInvited", date(2023, 6, 13)),
        ("StrategyMeeting.AttendanceRecorded", date(2023, 6, 14)),
        ("StrategyMeeting.AttendanceRecorded", date(2023, 6, 14)),
        ("StrategyMeeting.DecisionRecorded", date(2023, 6, 14)),
        ("StrategyMeeting.QualityAssessed", date(2023, 10, 20)),
    ]
    meeting = old_app.get(MEETING, GOVERNANCE, StrategyMeeting)
    assert meeting.quality_assessments[0].assessed_on == date(2023, 10, 20)
    before = old_app.state_at(MEETING, GOVERNANCE, StrategyMeeting, as_of=date(2023, 10, 19))
    assert (len(before.invited), len(before.attendance), before.quality_assessments) == (2, 2, [])
