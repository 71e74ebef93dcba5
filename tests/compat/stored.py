"""Loading a fixture of stored events into a fresh store of either kind."""

import shutil
import sqlite3
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.service import ActionTrail
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings


def stored_rows(fixture: Path) -> list[tuple[str, int, str, bytes]]:
    with sqlite3.connect(fixture) as conn:
        return conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events "
            "ORDER BY rowid"
        ).fetchall()


def load(fixture: Path, settings: Settings) -> ActionTrail:
    """The application on ``settings``' store, holding the fixture's events (bytes unchanged)."""
    if settings.store == "sqlite":
        shutil.copy(fixture, settings.sqlite_path)
        return build_application(settings)
    app = build_application(settings)
    app.recorder.insert_events(
        [
            StoredEvent(UUID(originator_id), version, topic, state)
            for originator_id, version, topic, state in stored_rows(fixture)
        ]
    )
    return app
