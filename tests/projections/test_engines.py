"""Only the projection runner's commits skip waiting for the disk; users and tokens do not."""

import pytest

from infrastructure.bootstrap import ensure_schema
from infrastructure.config import Settings
from infrastructure.storage.database import create_projection_engine, create_read_engine


def durability(settings: Settings, projection: bool) -> str:
    ensure_schema(settings)
    make = create_projection_engine if projection else create_read_engine
    engine = make(settings)
    try:
        with engine.connect() as conn:
            if settings.store == "sqlite":
                return str(conn.exec_driver_sql("PRAGMA synchronous").scalar())
            return str(conn.exec_driver_sql("SHOW synchronous_commit").scalar())
    finally:
        engine.dispose()


def test_projection_commits_are_relaxed_and_others_durable(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGOPTIONS")  # the tests' own relaxed commits (tests/conftest.py)
    if settings.store == "sqlite":
        assert durability(settings, projection=False) == "2"  # FULL, SQLite's default
        assert durability(settings, projection=True) == "1"  # NORMAL
    else:
        assert durability(settings, projection=False) == "on"
        assert durability(settings, projection=True) == "off"
