"""``execute_all``: many commands as one write, all of their events or none."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from application import commands as c
from application.batch import CommandBatch
from application.errors import Forbidden, VersionConflict
from application.service import ActionTrail
from domain.codes import MeetingFormat, MeetingKind, RecommendationSourceKind
from domain.errors import DomainError
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from domain.values import Actor
from tests.builders import request_meeting

CONCERN = datetime(2023, 6, 13, 9, 30, tzinfo=UTC)
HELD = datetime(2023, 6, 14, 10, 0, tzinfo=UTC)


def meeting_script(case_ref: str = "CASE-B", held: bool = True) -> Callable[[CommandBatch], None]:
    """Request a meeting, invite two agencies, hold it and agree an action, as one batch."""

    def work(batch: CommandBatch) -> None:
        meeting = batch.run(
            c.RequestMeeting(
                command_id=f"{case_ref}-request",
                case_ref=case_ref,
                concern_raised_at=CONCERN,
                kind=MeetingKind.CHILD_PROTECTION,
                team="North",
            )
        )
        for agency in ("police", "health"):
            batch.run(
                c.InviteAgency(
                    command_id=f"{case_ref}-{agency}", meeting_id=meeting.id, agency=agency
                )
            )
        if held:
            batch.run(
                c.HoldMeeting(
                    command_id=f"{case_ref}-held",
                    meeting_id=meeting.id,
                    held_at=HELD,
                    format=MeetingFormat.VIRTUAL,
                )
            )
        batch.run(
            c.AgreeMeetingAction(
                command_id=f"{case_ref}-action",
                meeting_id=meeting.id,
                agency="police",
                description="Visit",
                due_on=date(2023, 6, 20),
                agreed_on=date(2023, 6, 14),
            )
        )

    return work


def test_every_event_of_every_command_is_written_in_one_save(
    app: ActionTrail, governance: Actor
) -> None:
    before = app.head()

    batch = app.execute_all(meeting_script(), governance)

    # request, two invitations, held, then the action (assigned) and the meeting's link
    assert batch.events_written == 6
    assert app.head() == before + 6
    results = batch.results()
    assert [r.version for r in results] == [1, 2, 3, 4, 1]
    meeting_id = results[0].id
    action = results[-1]
    assert action.id != meeting_id
    assert [r.position for r in results] == [before + n for n in (1, 2, 3, 4, 5)]
    meeting = app.get(meeting_id, governance, StrategyMeeting)
    assert meeting.version == 5
    assert meeting.action_ids == [action.id]


def test_a_command_refused_midway_writes_nothing(app: ActionTrail, governance: Actor) -> None:
    before = app.head()

    # agreeing an action for a meeting that was never held is refused: the commands before it
    # in the batch are not written either
    with pytest.raises(DomainError):
        app.execute_all(meeting_script(held=False), governance)

    assert app.head() == before


def test_a_rule_of_the_stored_state_refuses_the_whole_batch(
    app: ActionTrail, governance: Actor
) -> None:
    cancelled = request_meeting(app, governance)
    app.execute(c.CancelMeeting(meeting_id=cancelled, reason="Duplicate referral"), governance)
    before = app.head()

    def work(batch: CommandBatch) -> None:
        meeting_script("CASE-NEW")(batch)
        batch.run(c.InviteAgency(meeting_id=cancelled, agency="police"))

    with pytest.raises(DomainError, match="cancelled"):
        app.execute_all(work, governance)

    assert app.head() == before


def test_running_the_same_batch_again_writes_nothing_and_answers_the_same(
    app: ActionTrail, governance: Actor
) -> None:
    first = app.execute_all(meeting_script(), governance)
    head = app.head()

    again = app.execute_all(meeting_script(), governance)

    assert again.events_written == 0
    assert app.head() == head
    assert again.results() == first.results()


def test_a_command_repeated_within_a_batch_applies_once(
    app: ActionTrail, governance: Actor
) -> None:
    def work(batch: CommandBatch) -> None:
        meeting = batch.run(
            c.RequestMeeting(
                command_id="req",
                case_ref="CASE-R",
                concern_raised_at=CONCERN,
                kind=MeetingKind.OTHER,
                team="North",
            )
        )
        invite = c.InviteAgency(command_id="inv", meeting_id=meeting.id, agency="police")
        first, second = batch.run(invite), batch.run(invite)
        assert (first.version, first.new) == (2, True)
        assert (second.version, second.new) == (2, False)

    assert app.execute_all(work, governance).events_written == 2


def test_an_expected_version_is_checked_against_the_batch(
    app: ActionTrail, governance: Actor
) -> None:
    meeting_id = request_meeting(app, governance)
    before = app.head()

    def work(batch: CommandBatch) -> None:
        batch.run(c.InviteAgency(meeting_id=meeting_id, agency="police", expected_version=1))
        batch.run(c.InviteAgency(meeting_id=meeting_id, agency="health", expected_version=1))

    with pytest.raises(VersionConflict):
        app.execute_all(work, governance)
    assert app.head() == before


def test_roles_are_checked_for_every_command(app: ActionTrail, inspector: Actor) -> None:
    with pytest.raises(Forbidden):
        app.execute_all(meeting_script(), inspector)
    assert app.head() == 0


def test_actions_finished_in_the_batch_let_the_recommendation_close(
    app: ActionTrail, governance: Actor
) -> None:
    def work(batch: CommandBatch) -> None:
        rec = batch.run(
            c.RaiseRecommendation(
                source=c.RecommendationSourceIn(
                    kind=RecommendationSourceKind.AUDIT, ref="A-1", title="Audit"
                ),
                number=1,
                text="Invite health",
                raised_on=date(2023, 10, 2),
            )
        )
        batch.run(
            c.RecordResponse(recommendation_id=rec.id, text="Agreed", dated=date(2023, 10, 9))
        )
        action = batch.run(
            c.AgreeRecommendationAction(
                recommendation_id=rec.id,
                agency="health",
                description="Do",
                due_on=date(2024, 1, 1),
                agreed_on=date(2023, 10, 9),
            )
        )
        batch.run(
            c.CompleteAction(action_id=action.id, completed_on=date(2023, 11, 1), evidence="Done")
        )
        batch.run(c.CloseRecommendation(recommendation_id=rec.id, evidence="Done", reason="Done"))

    batch = app.execute_all(work, governance)

    recommendation = app.get(batch.results()[0].id, governance, Recommendation)
    assert recommendation.status.value == "closed"


def test_a_batch_that_lost_a_race_runs_again_on_what_won(
    app: ActionTrail, governance: Actor
) -> None:
    meeting_id = request_meeting(app, governance)
    runs: list[UUID] = []

    def work(batch: CommandBatch) -> None:
        batch.run(c.InviteAgency(command_id="batch-invite", meeting_id=meeting_id, agency="police"))
        if not runs:  # another writer changes the meeting before this batch is saved
            app.execute(c.InviteAgency(meeting_id=meeting_id, agency="health"), governance)
        runs.append(meeting_id)

    batch = app.execute_all(work, governance)

    assert len(runs) == 2
    assert batch.events_written == 1
    meeting = app.get(meeting_id, governance, StrategyMeeting)
    assert meeting.version == 3
