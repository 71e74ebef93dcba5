"""The rebuild's fast paths give exactly what the library and the domain give."""

from dataclasses import replace
from typing import Any

import pytest
from eventsourcing.persistence import Notification
from sqlalchemy import select

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.storage.database import create_read_engine
from infrastructure.storage.fastpaths.decoding import fast_decoder
from infrastructure.storage.fastpaths.postgres import PostgresCopyWriter
from infrastructure.storage.fastpaths.sqlite import SQLiteBulkWriter
from projections.audit_log import AuditLogProjection, row_of
from projections.runner import ProjectionRunner, RunnerSettings
from projections.tables import audit_log
from projections.writing import CORE_WRITER
from tests.builders import SAMPLES


def logged(app: ActionTrail) -> list[Notification]:
    app.save(*(build(n) for n in range(4) for build in SAMPLES))
    return list(app.recorder.select_notifications(start=1, limit=1000))


def test_fast_decoder_gives_the_same_events(app: ActionTrail) -> None:
    decode = fast_decoder(app)
    for notification in logged(app):
        slow: Any = app.mapper.to_domain_event(notification)
        fast = decode(notification)
        assert type(fast) is type(slow)
        assert fast.__dict__ == slow.__dict__
        assert [type(v) for v in fast.__dict__.values()] == [
            type(v) for v in slow.__dict__.values()
        ]
        assert fast.data_as_json() == slow.data_as_json()


def test_fast_decoder_rejects_what_the_library_rejects(app: ActionTrail) -> None:
    notification = next(n for n in logged(app) if b'"Role"' in n.state)
    bad = replace(notification, state=notification.state.replace(b'"governance"', b'"nobody"'))
    with pytest.raises(ValueError, match="nobody"):
        app.mapper.to_domain_event(bad)
    with pytest.raises(ValueError, match="nobody"):
        fast_decoder(app)(bad)


def test_audit_rows_equal_the_slow_path(settings: Settings, app: ActionTrail) -> None:
    notifications = logged(app)
    events: list[Any] = [(n.id, app.mapper.to_domain_event(n)) for n in notifications]
    engine = create_read_engine(settings)
    fast_writer = SQLiteBulkWriter() if settings.store == "sqlite" else PostgresCopyWriter()
    runner = ProjectionRunner(
        app.recorder,
        fast_decoder(app),
        engine,
        projections=[AuditLogProjection()],
        settings=RunnerSettings(writer=fast_writer),
    )
    try:
        runner.rebuild()
        with engine.connect() as conn:
            fast = conn.execute(select(audit_log).order_by(audit_log.c.position)).all()
        with engine.begin() as conn:
            conn.execute(audit_log.delete())
            CORE_WRITER.insert(
                conn, audit_log, [row_of(event, position) for position, event in events]
            )
        with engine.connect() as conn:
            slow = conn.execute(select(audit_log).order_by(audit_log.c.position)).all()
        assert fast == slow
        assert len(fast) == len(events)
    finally:
        engine.dispose()
