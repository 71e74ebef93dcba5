"""A projection that cannot apply an event stalls there, visibly; the others carry on.

The poison events of ``tests.poison`` are written below the edge, as stored events the input
validation of today would refuse could still be in an older log.
"""

import json
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy.exc import OperationalError

from application import commands as c
from application.errors import Forbidden
from application.queries import AuditLogQuery
from application.service import ActionTrail
from domain.codes import RecommendationSourceKind, Role
from domain.meeting import StrategyMeeting
from domain.projection_skip import ProjectionSkip
from domain.values import Actor
from infrastructure.bootstrap import build_services
from infrastructure.cli import main as cli_main
from infrastructure.config import Settings
from infrastructure.read_side import standards_from
from infrastructure.storage.database import snapshot_of
from projections.errors import ProjectionStalled
from projections.meetings import MeetingsProjection
from projections.overdue import OverdueProjection
from projections.runner import ProjectionRunner
from projections.service import ReadService
from projections.tables import projection_stalls
from tests.builders import action, meeting, read_models, utc
from tests.poison import nul_action, poison_recommendation

RESPONSES = "response_history"


RUNNER_BATCH = 50


def recommendation(app: ActionTrail, by: Actor, number: int) -> UUID:
    return app.execute(
        c.RaiseRecommendation(
            source=c.RecommendationSourceIn(
                kind=RecommendationSourceKind.AUDIT, ref="SM-AUDIT", title="Audit"
            ),
            number=number,
            text="Invite health to every strategy meeting",
            raised_on=date(2023, 10, 16),
        ),
        by,
    ).id


def poisoned_log(app: ActionTrail, by: Actor) -> tuple[int, UUID]:
    """Healthy events around a poison one; answers its position and a recommendation after it."""
    meeting(app, by, concern=utc(2023, 6, 13), held=utc(2023, 6, 14), invited=("police",))
    recommendation(app, by, 1)
    _, position = poison_recommendation(app, by)
    action(app, by, on=utc(2023, 6, 15), due_on=date(2023, 7, 1))
    after = recommendation(app, by, 2)
    return position, after


def without_stalls(models: dict[str, Any]) -> dict[str, Any]:
    return {name: rows for name, rows in models.items() if name != projection_stalls.name}


def test_a_poison_event_stalls_only_its_projection_at_its_position(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> None:
    position, _ = poisoned_log(app, governance)
    runner = runners()
    runner.catch_up()

    head = runner.head()
    statuses = {s.name: s for s in runner.status()}
    stalled = statuses.pop(RESPONSES)
    assert (stalled.status, stalled.stalled_at, stalled.position) == (
        "stalled",
        position,
        position - 1,
    )
    assert stalled.lag == head - position + 1
    assert stalled.error is not None
    assert stalled.error.startswith(("OverflowError:", "NumericValueOutOfRange:"))
    assert stalled.stalled_since is not None
    assert {(s.status, s.position, s.lag, s.error) for s in statuses.values()} == {
        ("ok", head, 0, None)
    }

    # Following with a stall equals a rebuild with the same stall.
    followed = read_models(runner.engine)
    runner.rebuild()
    assert without_stalls(read_models(runner.engine)) == without_stalls(followed)
    assert {s.name: s.stalled_at for s in runner.status() if s.status == "stalled"} == {
        RESPONSES: position
    }


def test_a_stall_survives_a_restart_and_a_retry_that_fails_again(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> None:
    position, _ = poisoned_log(app, governance)
    first = runners()
    first.catch_up()
    (before,) = [s for s in first.status() if s.status == "stalled"]

    restarted = runners()
    assert restarted.stalls[RESPONSES].position == position
    (after_restart,) = [s for s in restarted.status() if s.status == "stalled"]
    assert after_restart == before

    outcome = restarted.retry([RESPONSES])
    assert outcome[RESPONSES] is not None
    assert (outcome[RESPONSES].position, outcome[RESPONSES].error) == (position, before.error)
    assert outcome[RESPONSES].since == before.stalled_since
    assert restarted.retry() == {RESPONSES: outcome[RESPONSES]}


def test_a_rival_runner_adopts_the_stall_and_applies_nothing_twice(
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poisoned_log(app, governance)
    ours, rival = runners(), runners()
    decode = rival.decoder.decode
    interfered: list[int] = []

    def ours_stalls_meanwhile(notification: Any) -> Any:
        if not interfered:
            interfered.append(ours.catch_up())
        return decode(notification)

    monkeypatch.setattr(rival.decoder, "decode", ours_stalls_meanwhile)
    rival.catch_up()  # its batch was prepared before: it loses the compare and set, re-reads
    assert interfered == [app.head()]
    assert rival.stalls.keys() == {RESPONSES}
    assert rival.status() == ours.status()
    followed = read_models(ours.engine)
    ours.rebuild()
    assert without_stalls(read_models(ours.engine)) == without_stalls(followed)


def test_a_report_of_a_stalled_projection_fails_at_once_naming_it(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    position, after = poisoned_log(app, governance)
    reads.start()
    started = time.monotonic()
    with pytest.raises(
        ProjectionStalled, match=f"response_history is stalled at position {position}"
    ):
        reads.response_history(after)
    assert time.monotonic() - started < 3
    assert reads.stalled().keys() == {RESPONSES}
    # Reports of the healthy projections keep answering, read your writes included.
    assert len(reads.overdue_actions(as_of=date(2023, 8, 1)).rows) == 1
    assert reads.audit_log(AuditLogQuery(limit=1000)).events[-1].aggregate_id == after


def test_a_recorded_skip_lets_the_projection_pass_that_one_event(
    settings: Settings,
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
) -> None:
    position, after = poisoned_log(app, governance)
    runner = runners()
    runner.catch_up()

    skip = app.execute(
        c.RecordProjectionSkip(
            projection=RESPONSES, position=position, reason="Number too large; ticket OPS-7"
        ),
        governance,
    )
    assert skip.id == ProjectionSkip.id_for(RESPONSES, position)
    assert runner.retry([RESPONSES]) == {RESPONSES: None}

    head = runner.head()
    assert skip.position == head
    assert {(s.status, s.position) for s in runner.status()} == {("ok", head)}
    reads = ReadService(runner, standards_from(settings), snapshot=snapshot_of(settings))
    assert reads.response_history(after).number == 2
    (entry,) = reads.audit_log(AuditLogQuery(type="ProjectionSkip.Recorded")).events
    assert entry.aggregate_id == skip.id
    assert entry.actor.user == governance.user_id
    assert entry.data == {
        "projection": RESPONSES,
        "position": position,
        "reason": "Number too large; ticket OPS-7",
    }

    # A rebuild honours the recorded skip: it passes the same event, without a stall.
    followed = read_models(runner.engine)
    runner.rebuild()
    assert runner.stored_stalls() == {}
    assert read_models(runner.engine) == followed


def test_a_skip_is_for_governance_only_and_recorded_once(
    app: ActionTrail, governance: Actor, reporting: Actor, inspector: Actor, health_lead: Actor
) -> None:
    command = c.RecordProjectionSkip(projection=RESPONSES, position=3, reason="Known bad row")
    for actor in (reporting, inspector, health_lead):
        with pytest.raises(Forbidden):
            app.execute(command, actor)
    first = app.execute(command, governance)
    again = app.execute(command.model_copy(update={"reason": "Another reason"}), governance)
    assert again == first
    assert app.head() == first.position


def test_a_projector_that_fails_stalls_mid_batch_and_passes_on_retry_once_fixed(
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    position = break_the_second_meeting(app, governance, monkeypatch)
    runner = runners()
    runner.catch_up()
    statuses = {s.name: s for s in runner.status()}
    assert (statuses["meetings"].stalled_at, statuses["meetings"].position) == (
        position,
        position - 1,
    )
    assert statuses["meetings"].error == "ValueError: cannot project this meeting"
    assert {s.lag for name, s in statuses.items() if name != "meetings"} == {0}

    monkeypatch.undo()
    assert runner.retry() == {"meetings": None}
    followed = read_models(runner.engine)
    runner.rebuild()
    assert read_models(runner.engine) == followed


def test_a_follow_loop_retries_a_stall_once_when_it_starts(
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    break_the_second_meeting(app, governance, monkeypatch)
    runners().catch_up()
    monkeypatch.undo()  # as a deployment of fixed code would
    restarted = runners()
    assert restarted.stalls.keys() == {"meetings"}
    restarted.start()
    deadline = time.monotonic() + 10
    while restarted.stored_stalls() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert restarted.stored_stalls() == {}
    assert restarted.wait_for(app.head(), timeout=10)


def break_the_second_meeting(app: ActionTrail, by: Actor, monkeypatch: pytest.MonkeyPatch) -> int:
    """Meetings and an action, with the meetings projector failing on the second meeting's
    first event; answers its position."""
    meeting(app, by, concern=utc(2023, 6, 13), held=utc(2023, 6, 14))
    second = meeting(app, by, concern=utc(2023, 6, 20), held=utc(2023, 6, 21))
    action(app, by, on=utc(2023, 6, 22), due_on=date(2023, 7, 1))
    position = app.history(second, by, StrategyMeeting)[0].position
    original = MeetingsProjection.apply

    def broken(self: MeetingsProjection, at: int, event: Any) -> None:
        if at == position:
            raise ValueError("cannot project this meeting")
        original(self, at, event)

    monkeypatch.setattr(MeetingsProjection, "apply", broken)
    return position


def test_a_lost_database_connection_stalls_nothing(
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    action(app, governance, on=utc(2023, 6, 15), due_on=date(2023, 7, 1))

    def unreachable(self: OverdueProjection, conn: Any, writer: Any) -> None:
        raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(OverdueProjection, "flush", unreachable)
    runner = runners()
    with pytest.raises(OperationalError):
        runner.catch_up()
    assert runner.stored_stalls() == {}
    assert {(s.status, s.error) for s in runner.status()} == {
        ("ok", "ConnectionError: server closed the connection")
    }
    monkeypatch.undo()
    runner.catch_up()
    assert {s.lag for s in runner.status()} == {0}


@pytest.mark.parametrize("store", ["postgres"])  # SQLite stores NUL characters in text
def test_nul_text_stalls_the_actions_read_model_on_postgresql(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> None:
    action(app, governance, on=utc(2023, 6, 15), due_on=date(2023, 7, 1))
    position = nul_action(app, governance)
    action(app, governance, on=utc(2023, 6, 16), due_on=date(2023, 7, 1))
    runner = runners()
    runner.catch_up()
    stalled = {s.name: s for s in runner.status() if s.status == "stalled"}
    assert stalled.keys() == {"overdue_actions"}
    assert stalled["overdue_actions"].stalled_at == position
    assert stalled["overdue_actions"].error == (
        "DataError: PostgreSQL text fields cannot contain NUL (0x00) bytes"
    )


def test_projections_status_prints_a_stall_as_json(
    settings: Settings,
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    position, _ = poisoned_log(app, governance)
    runners().catch_up()
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_SCHEMA", settings.database_schema)
    with build_services(settings) as services:
        added = services.users.add(name="Ines", role=Role.INSPECTOR, agency=None, created_by=None)
    capsys.readouterr()
    assert cli_main(["projections", "status", "--json", f"--token={added.token}"]) == 0
    shown = {p["name"]: p for p in json.loads(capsys.readouterr().out)["projections"]}
    assert (shown[RESPONSES]["status"], shown[RESPONSES]["stalled_at"]) == ("stalled", position)
