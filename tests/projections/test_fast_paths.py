"""The fast paths and the plain library path build the same read models, row by row.

A generated log (random commands, and an action stored as version 1 stored it, so that both
decoders must upcast) is followed in small batches once with ``ACTIONTRAIL_FAST_PATHS`` on and
once with it off, on each store, without and with a cipher.
"""

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import Mapper, StoredEvent
from freezegun import freeze_time
from pydantic import SecretStr
from sqlalchemy import Table

from application import commands as c
from application.errors import ApplicationError
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.codes import ActionSourceKind, Role
from domain.errors import DomainError
from domain.events import Envelope
from domain.values import ActionSource, Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.read_side import build_runner, sealer_of
from infrastructure.storage.fastpaths.postgres import PostgresLeanRecorder
from infrastructure.storage.fastpaths.sqlite import SQLiteLeanRecorder
from projections.runner import all_projections
from projections.sealing import Sealer
from projections.tables import audit_log, metadata, sealed_columns
from tests.builders import read_models
from tests.conftest import drop_schema, make_settings
from tests.projections.test_property import OPS, command

ACTOR = Actor("u-governance", Role.GOVERNANCE)
START = datetime(2023, 1, 2, 9, tzinfo=UTC)
Models = dict[str, list[tuple[Any, ...]]]
#: Code that keeps the real clock while the log's recorded times are frozen: PostgreSQL's pool
#: (its timeouts and connection lifetimes) and the recorders' retries.
REAL_TIME = [
    "psycopg",
    "psycopg_pool",
    "eventsourcing.postgres",
    "infrastructure.storage.recorders",
]


def as_version_1(mapper: Mapper[Any], stored: StoredEvent) -> StoredEvent:
    """``stored`` as version 1 of its class stored it: no class version, and without the field
    that version 2 added (``agreed_on`` of an assignment, ``effective_on`` of a change)."""
    state = stored.state
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    data = mapper.transcoder.decode(state)
    assert data.pop("class_version") == 2
    for added in ("agreed_on", "effective_on"):
        data.pop(added, None)
    state = mapper.transcoder.encode(data)
    if mapper.cipher:
        state = mapper.cipher.encrypt(state)
    return StoredEvent(stored.originator_id, stored.originator_version, stored.topic, state)


def record_version_1_action(app: ActionTrail, now: datetime) -> None:
    """An action assigned, revised and cancelled, all three stored at class version 1."""
    by = Envelope(ACTOR, "v1")
    with freeze_time(now, ignore=REAL_TIME):
        action = AgencyAction.assign(
            id=uuid.uuid4(),
            source=ActionSource(ActionSourceKind.OTHER, "V1"),
            agency="police",
            owner_role=None,
            description="Stored by version 0.1",
            due_on=now.date() + timedelta(days=7),
            agreed_on=now.date(),
            by=by,
        )
        action.revise_due_date(
            due_on=now.date() + timedelta(days=9), reason="Moved", effective_on=None, by=by
        )
        action.cancel(reason="Duplicate", effective_on=None, by=by)
    events = action.collect_events()
    app.recorder.insert_events(
        [as_version_1(app.mapper, app.mapper.to_stored_event(e)) for e in events]
    )


def record_log(app: ActionTrail, seed: int, steps: int = 150) -> None:
    """Random commands (as ``test_property`` makes them), with the version 1 action among them."""
    chooser = random.Random(seed)
    ids: dict[str, list[uuid.UUID]] = {"m": [], "a": [], "r": []}
    now = record_random_commands(app, chooser, ids, START, steps // 2)
    now += timedelta(hours=chooser.randrange(0, 40))
    record_version_1_action(app, now)
    now = record_random_commands(app, chooser, ids, now, steps - steps // 2, first_moved=True)
    record_proposals(app, ids["a"], now)


def record_random_commands(
    app: ActionTrail,
    chooser: random.Random,
    ids: dict[str, list[uuid.UUID]],
    now: datetime,
    steps: int,
    first_moved: bool = False,
) -> datetime:
    """``steps`` random commands, each an hour or more after the last; the time of the last.

    One clock is frozen around them all, so that each command's own freezing nests in it and is
    quick (a first freezing patches every loaded module: tens of milliseconds)."""
    with freeze_time(now, ignore=REAL_TIME):
        for step in range(steps):
            if step or not first_moved:
                now += timedelta(hours=chooser.randrange(0, 40))
            op = chooser.choice([op for op in OPS if op != "catch_up"])
            cmd = command(op, chooser.randrange(4), now, chooser.random() < 0.5, ids)
            if cmd is None:
                continue
            with freeze_time(now, ignore=REAL_TIME):
                try:
                    result = app.execute(cmd, ACTOR)
                except (DomainError, ApplicationError):
                    continue
            if op in ("meeting", "action", "recommendation"):
                ids[op[0]].append(result.id)
    return now


def record_proposals(app: ActionTrail, actions: list[uuid.UUID], now: datetime) -> None:
    """Due dates proposed on some of the actions: one accepted, one declined, the rest waiting
    (the work queue's events, which the random commands do not make)."""
    proposed = 0
    for action_id in actions:
        now += timedelta(hours=1)
        with freeze_time(now, ignore=REAL_TIME):
            propose = c.ProposeDueDate(
                action_id=action_id, due_on=now.date() + timedelta(days=60), reason="Leave"
            )
            try:
                app.execute(propose, ACTOR)
            except (DomainError, ApplicationError):
                continue
            decision: c.Command | None = [
                c.AcceptDueDate(action_id=action_id),
                c.DeclineDueDate(action_id=action_id, reason="No"),
                None,
            ][proposed % 3]
            if decision is not None:
                app.execute(decision, ACTOR)
        proposed += 1
        if proposed == 4:
            return
    assert proposed, "no open action to propose a due date for"


def opened(models: Models, sealer: Sealer) -> Models:
    """The read models with their sealed values opened (sealing the same text twice differs)."""
    tables: dict[str, Table] = {table.name: table for table in metadata.sorted_tables}
    result: Models = {}
    for name, rows in models.items():
        table = tables[name]
        sealed = [i for i, c in enumerate(table.columns) if c.name in sealed_columns(table)]
        result[name] = sorted(
            (
                tuple(sealer.open(v) if i in sealed else v for i, v in enumerate(row))
                for row in rows
            ),
            key=repr,
        )
    return result


def follow(settings: Settings, until: list[int]) -> Models:
    """The read models after following the log in batches of 5, stopping at each of ``until``;
    then dropped, so that the next runner starts from scratch."""
    app = build_application(settings)
    runner = build_runner(settings, app, batch_size=5)
    try:
        lean = isinstance(app.recorder, SQLiteLeanRecorder | PostgresLeanRecorder)
        assert lean is settings.fast_paths
        for position in until:
            runner.catch_up(until=position)
        assert runner.stalls == {}
        models = opened(read_models(runner.engine), sealer_of(app))
        metadata.drop_all(runner.engine)
        return models
    finally:
        runner.engine.dispose()
        app.close()


@pytest.fixture(params=[False, True], ids=["plain-text", "cipher"])
def log_settings(request: pytest.FixtureRequest, store: str, tmp_path: Path) -> Iterator[Settings]:
    key = SecretStr(AESCipher.create_key(16)) if request.param else None
    settings = make_settings(store, tmp_path, cipher_key=key)
    yield settings
    drop_schema(settings)


def test_fast_and_plain_paths_build_the_same_read_models(log_settings: Settings) -> None:
    app = build_application(log_settings)
    try:
        record_log(app, seed=10)
        head = app.head()
    finally:
        app.close()
    until = [head // 3, head // 3 + 1, 2 * head // 3, head]

    fast = follow(log_settings.model_copy(update={"fast_paths": True}), until)
    plain = follow(log_settings.model_copy(update={"fast_paths": False}), until)

    assert fast == plain
    owned = [table.name for projection in all_projections() for table in projection.tables]
    assert [name for name in owned if not fast[name]] == []
    assert len(fast["rm_audit_log"]) == head
    command_id = list(audit_log.columns.keys()).index("command_id")
    assert [row[command_id] for row in fast["rm_audit_log"]].count("v1") == 3
