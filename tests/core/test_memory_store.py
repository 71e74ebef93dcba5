"""The in-memory application writes exactly the events, positions and answers the stores do."""

from datetime import date

from freezegun import freeze_time

from application import commands as c
from application.batch import CommandBatch
from application.service import ActionTrail
from application.views import CommandResult
from domain.codes import MeetingFormat, RecommendationSourceKind
from domain.recommendation import Recommendation
from domain.values import Actor
from infrastructure.storage.memory_store import MemoryRecorder, build_memory_application
from tests.builders import HELD, assignment, meeting_request

Log = list[tuple[int, str, int, str, bytes]]


def scenario(app: ActionTrail, by: Actor) -> list[CommandResult]:
    """Every kind of write: creations, an agreed action (two aggregates), keyed retries, a
    batch, a rule of stored state (closing needs a response); with command ids and a frozen
    clock, so that ids and timestamps are the same wherever it runs."""
    results: list[CommandResult] = []

    def run(command: c.Command) -> CommandResult:
        results.append(app.execute(command, by))
        return results[-1]

    with freeze_time("2023-11-01 09:00:00"):
        meeting = run(meeting_request(command_id="request"))
        run(c.InviteAgency(command_id="invite", meeting_id=meeting.id, agency="police"))
        run(c.InviteAgency(command_id="invite", meeting_id=meeting.id, agency="police"))
        run(
            c.HoldMeeting(
                command_id="hold", meeting_id=meeting.id, held_at=HELD, format=MeetingFormat.VIRTUAL
            )
        )
        agreed = c.AgreeMeetingAction(
            command_id="agree",
            meeting_id=meeting.id,
            agency="police",
            description="Visit",
            due_on=date(2023, 6, 20),
            agreed_on=date(2023, 6, 14),
        )
        action = run(agreed)
        run(agreed)
        rec = run(
            c.RaiseRecommendation(
                command_id="raise",
                source=c.RecommendationSourceIn(
                    kind=RecommendationSourceKind.AUDIT, ref="SM-AUDIT", title="Audit"
                ),
                number=1,
                text="Invite health",
                raised_on=date(2023, 10, 2),
            )
        )

    def work(batch: CommandBatch) -> None:
        batch.run(
            c.RecordResponse(
                command_id="respond", recommendation_id=rec.id, text="Done", dated=date(2023, 11, 2)
            )
        )
        batch.run(assignment("health", date(2023, 12, 1), command_id="assign"))
        batch.run(
            c.CompleteAction(
                command_id="done",
                action_id=action.id,
                completed_on=date(2023, 11, 2),
                evidence="Seen",
            )
        )

    with freeze_time("2023-11-20 14:00:00"):
        app.execute_all(work, by)
        run(
            c.CloseRecommendation(
                command_id="close", recommendation_id=rec.id, evidence="Audit", reason="Done"
            )
        )
    return results


def log(app: ActionTrail) -> Log:
    return [
        (n.id, str(n.originator_id), n.originator_version, n.topic, n.state)
        for n in app.recorder.select_notifications(start=None, limit=1000)
    ]


def test_the_same_scenario_gives_the_same_events_in_memory_and_on_disk(
    app: ActionTrail, stored_app: ActionTrail, governance: Actor
) -> None:
    assert isinstance(app.recorder, MemoryRecorder)
    in_memory, stored = scenario(app, governance), scenario(stored_app, governance)

    assert in_memory == stored
    assert log(app) == log(stored_app)
    assert len(log(app)) == app.head() == stored_app.head()
    rec_id = in_memory[-1].id
    assert app.history(rec_id, governance, Recommendation) == stored_app.history(
        rec_id, governance, Recommendation
    )


def test_a_receipt_binds_a_key_in_the_same_write_as_its_events(
    app: ActionTrail, governance: Actor
) -> None:
    recorder = app.recorder
    assert isinstance(recorder, MemoryRecorder)
    first = scenario(app, governance)[0]

    receipt = recorder.find_receipt(governance.user_id, "request")

    assert receipt is not None
    assert (receipt.aggregate_id, receipt.version) == (first.id, first.version)
    assert recorder.find_receipt(governance.user_id, "never sent") is None
    assert recorder.find_receipt("someone else", "request") is None


def test_each_application_has_a_store_of_its_own(governance: Actor) -> None:
    one, other = build_memory_application(), build_memory_application()
    scenario(one, governance)
    assert other.head() == 0
