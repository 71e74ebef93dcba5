"""The runner: exactly once through crashes and rival runners, rebuilds, status, following."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg import sql
from sqlalchemy import text

from application import commands as c
from application.queries import AuditLogQuery
from application.service import ActionTrail
from domain.codes import ActionSourceKind, QualityRating
from domain.values import Actor
from infrastructure.bootstrap import build_application, build_notifying_application
from infrastructure.config import Settings
from infrastructure.rebuild import rebuild
from infrastructure.storage.database import postgres_conninfo
from infrastructure.storage.notification import notify_channel
from projections.audit_log import AuditLogProjection
from projections.base import Projection
from projections.errors import UndecodableEvent, UnknownProjection
from projections.meetings import MeetingsProjection
from projections.overdue import OverdueProjection
from projections.runner import ProjectionRunner
from projections.service import ReadService
from projections.tables import metadata
from tests.builders import action, meeting, read_models, rebuilt, run, utc


def scenario(app: ActionTrail, by: Actor) -> UUID:
    """Events that revisit earlier aggregates, so batches need state from earlier batches."""
    first = meeting(app, by, concern=utc(2023, 6, 13), held=utc(2023, 6, 14), invited=("police",))
    action_id = action(app, by, on=utc(2023, 6, 15), due_on=date(2023, 7, 1))
    meeting(app, by, concern=utc(2023, 6, 20), held=utc(2023, 6, 21), invited=("health",))
    run(
        app,
        by,
        utc(2023, 7, 13),
        c.RecordAttendance(meeting_id=first, agency="police", attended=True),
        c.ReviseDueDate(action_id=action_id, due_on=date(2023, 7, 14), reason="Leave"),
        c.AssessRecordQuality(meeting_id=first, rating=QualityRating.CLEAR, audit_ref="A1"),
        c.CompleteAction(action_id=action_id, completed_on=date(2023, 7, 10), evidence="Done"),
        c.ReopenAction(action_id=action_id, reason="Evidence missing"),
    )
    return action_id


def assign(app: ActionTrail, by: Actor, day: int) -> int:
    """An action assigned to police, due on ``day`` January 2023; its position."""
    position = app.execute(
        c.AssignAction(
            source=c.ActionSourceIn(kind=ActionSourceKind.OTHER, ref=f"R{day}"),
            agency="police",
            description="Check",
            due_on=date(2023, 1, day),
            agreed_on=date(2023, 1, 1),
        ),
        by,
    ).position
    assert position is not None
    return position


class PowerCut(BaseException):
    """A crash: the process stops there (no projection error, so the runner does not catch it)."""


CRASH_POINTS = [
    (AuditLogProjection, "apply"),
    (OverdueProjection, "prepare"),
    (OverdueProjection, "flush"),
    (MeetingsProjection, "flush"),
]


@pytest.mark.parametrize(("projection", "phase"), CRASH_POINTS)
def test_a_crash_inside_a_batch_then_a_restart_equals_a_rebuild(
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
    monkeypatch: pytest.MonkeyPatch,
    projection: type[Projection],
    phase: str,
) -> None:
    action_id = scenario(app, governance)
    runner = runners()
    runner.catch_up(until=9)
    original = getattr(projection, phase)

    def crash(self: Projection, *args: Any) -> None:
        original(self, *args)
        raise PowerCut("power cut")

    monkeypatch.setattr(projection, phase, crash)
    with pytest.raises(PowerCut, match="power cut"):
        runner.catch_up()
    monkeypatch.undo()
    assert runner.error == "PowerCut: power cut"
    # Nothing of the failed batch was kept.
    assert set(runner.stored_positions().values()) == {9}

    restarted = runners()
    restarted.catch_up()
    assert {s.lag for s in restarted.status()} == {0}
    after_restart = read_models(restarted.engine)
    assert after_restart == rebuilt(restarted)

    # The runner that crashed carries on too, from what the others committed meanwhile.
    run(
        app,
        governance,
        utc(2023, 7, 20),
        c.CompleteAction(action_id=action_id, completed_on=date(2023, 7, 19), evidence="Found"),
    )
    runner.catch_up()
    assert runner.error is None
    carried_on = read_models(runner.engine)
    assert carried_on == rebuilt(restarted)
    assert carried_on != after_restart


def test_a_rival_runner_never_makes_a_batch_apply_twice(
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario(app, governance)
    ours, rival = runners(), runners()
    ours.catch_up(until=5)
    decode = ours.decoder.decode
    interfered: list[int] = []

    def rival_commits_meanwhile(notification: Any) -> Any:
        if not interfered:
            interfered.append(rival.catch_up(until=10))
        return decode(notification)

    monkeypatch.setattr(ours.decoder, "decode", rival_commits_meanwhile)
    ours.catch_up()
    assert interfered == [5]  # events 6 to 10, read while ours held a batch of its own
    assert read_models(ours.engine) == rebuilt(runners())


def test_an_undecodable_event_stalls_every_projection_before_it(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> None:
    action(app, governance, on=utc(2023, 6, 15), due_on=date(2023, 7, 1))
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=uuid.uuid4(),
                originator_version=1,
                topic="actiontrail.Unknown:Thing",
                state=b"{}",
            )
        ]
    )
    action(app, governance, on=utc(2023, 6, 16), due_on=date(2023, 7, 1))
    runner = runners()

    runner.catch_up()
    statuses = runner.status()
    assert {(s.position, s.head, s.lag, s.status, s.stalled_at) for s in statuses} == {
        (1, 3, 2, "stalled", 2)
    }
    assert all("actiontrail.Unknown:Thing" in (s.error or "") for s in statuses)
    with pytest.raises(UndecodableEvent, match="position 2"):
        runner.decode_all(app.recorder.select_notifications(start=1, limit=3))


def test_rebuild_one_projection_with_progress(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> None:
    scenario(app, governance)
    runner = runners()
    runner.catch_up()
    before = read_models(runner.engine)
    calls: list[tuple[int, int]] = []

    head = runner.head()
    assert (
        runner.rebuild(["record_quality"], lambda done, total: calls.append((done, total))) == head
    )
    assert calls[-1] == (head, head)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert read_models(runner.engine) == before
    assert {(s.name, s.position, s.lag) for s in runner.status()} == {
        (name, head, 0) for name in runner.names
    }
    with pytest.raises(UnknownProjection):
        runner.rebuild(["nonsense"])


def index_names(runner: ProjectionRunner) -> set[str]:
    """The read models' indexes as the database lists them (SQLAlchemy's reflection leaves out
    SQLite's indexes on expressions)."""
    schema = runner.engine.get_execution_options().get("schema_translate_map", {}).get(None)
    tables = [table.name for table in metadata.sorted_tables]
    with runner.engine.connect() as conn:
        if runner.engine.dialect.name == "sqlite":
            found = conn.execute(
                text("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")
            )
        else:
            found = conn.execute(
                text("SELECT indexname, tablename FROM pg_indexes WHERE schemaname = :schema"),
                {"schema": schema},
            )
        return {
            name
            for name, table in found
            if table in tables
            and not name.startswith(("sqlite_autoindex", "pk_"))
            and not name.endswith("_pkey")
        }


def test_a_rebuild_keeps_only_the_indexes_it_reads_by_then_makes_all(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> None:
    scenario(app, governance)
    runner = runners()
    every = {index.name for table in metadata.sorted_tables for index in table.indexes}
    kept = {
        index.name
        for table in metadata.sorted_tables
        for index in table.indexes
        if index.info.get("during_rebuild")
    }
    assert kept == {
        "ix_action_segments_open",
        "ix_action_facts_action",
        "ix_meetings_open",
        "ix_meeting_participants_open",
        "ix_work_queue_open",
    }
    assert index_names(runner) == every
    seen: list[set[str]] = []
    runner.rebuild(progress=lambda done, total: seen.append(index_names(runner)))
    assert seen
    assert all(names == kept for names in seen)
    assert index_names(runner) == every


def test_setup_drops_the_indexes_of_earlier_versions(
    runners: Callable[[], ProjectionRunner],
) -> None:
    """A store made by an earlier version keeps no index the planner could prefer."""
    runner = runners()
    schema = runner.engine.get_execution_options().get("schema_translate_map", {}).get(None)
    table = f"{schema}.rm_action_segments" if schema else "rm_action_segments"
    with runner.engine.begin() as conn:
        conn.execute(text(f"CREATE INDEX ix_action_segments_current ON {table} (status, due_on)"))
    assert "ix_action_segments_current" in index_names(runner)
    runner.setup()
    assert "ix_action_segments_current" not in index_names(runner)
    assert index_names(runner) == {
        index.name for table in metadata.sorted_tables for index in table.indexes
    }


@pytest.mark.parametrize("processes", [1, 2])
def test_rebuild_in_one_or_two_processes_equals_following(
    settings: Settings,
    app: ActionTrail,
    governance: Actor,
    runners: Callable[[], ProjectionRunner],
    processes: int,
) -> None:
    scenario(app, governance)
    runner = runners()
    runner.catch_up()
    before = read_models(runner.engine)
    calls: list[tuple[int, int]] = []

    done = rebuild(settings, app, progress=lambda d, t: calls.append((d, t)), processes=processes)
    assert done == runner.head()
    assert calls[-1][0] == calls[-1][1] > 0
    assert read_models(runner.engine) == before
    assert {(s.name, s.position) for s in runner.status()} == {
        (name, runner.head()) for name in runner.names
    }
    with pytest.raises(UnknownProjection):
        rebuild(settings, app, ["audit_log", "nonsense"], processes=processes)


def test_status_reports_the_lag(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> None:
    scenario(app, governance)
    runner = runners()
    head = runner.head()
    assert {(s.position, s.head, s.lag) for s in runner.status()} == {(0, head, head)}
    runner.catch_up(until=4)
    assert {(s.position, s.lag) for s in runner.status()} == {(4, head - 4)}


def test_background_runner_serves_read_your_writes(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    reads.start()
    assert reads.runner.running
    for day in (1, 2, 3):
        position = assign(app, governance, day)
        assert reads.wait_for(position)
        assert reads.runner.reached(position, stored=True)
        assert len(reads.audit_log(AuditLogQuery()).events) == day
    reads.stop()
    assert not reads.runner.running


def test_saves_wake_runners(settings: Settings, governance: Actor) -> None:
    app = build_notifying_application(settings)
    seen: list[int] = []
    app.on_saved.append(seen.append)
    try:
        position = action(app, governance, on=utc(2023, 6, 1), due_on=date(2023, 7, 1))
        assert position is not None
        assert seen == [1]
    finally:
        app.close()


@pytest.mark.parametrize("store", ["postgres"])
def test_every_write_notifies_other_processes_in_its_own_transaction(
    settings: Settings, governance: Actor
) -> None:
    """LISTEN/NOTIFY (PostgreSQL's): any application's write (the CLI's too), never a refused
    one."""
    app = build_application(settings)
    try:
        with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(notify_channel(settings))))
            action(app, governance, on=utc(2023, 6, 1), due_on=date(2023, 7, 1))
            assert [n.channel for n in conn.notifies(timeout=10, stop_after=1)] == [
                notify_channel(settings)
            ]
            first = app.recorder.select_notifications(1, 1)[0]
            again = StoredEvent(
                first.originator_id, first.originator_version, first.topic, first.state
            )
            with pytest.raises(IntegrityError):
                app.recorder.insert_events([again])
            assert list(conn.notifies(timeout=0.5)) == []
    finally:
        app.close()


def test_tables_of_an_earlier_version_are_built_again(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> None:
    scenario(app, governance)
    first = runners()
    first.catch_up()
    expected = read_models(first.engine)
    schema = first.engine.get_execution_options().get("schema_translate_map", {}).get(None)
    prefix = f'"{schema}".' if schema else ""
    with first.engine.begin() as conn:  # as 0.1 left it: no effective dates
        conn.execute(text(f"ALTER TABLE {prefix}rm_status_changes DROP COLUMN effective_on"))
        conn.execute(text(f"ALTER TABLE {prefix}rm_action_segments DROP COLUMN agreed_on"))

    upgraded = runners()

    positions = upgraded.stored_positions()
    assert positions["response_history"] == positions["overdue_actions"] == 0
    assert positions["meetings"] == upgraded.head()
    upgraded.catch_up()
    assert read_models(upgraded.engine) == expected
