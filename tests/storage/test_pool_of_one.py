"""The application starts on a PostgreSQL pool of one connection (``POSTGRES_POOL_SIZE=1``).

A pool is PostgreSQL's alone: SQLite has none to exhaust.
"""

from pathlib import Path

import pytest

from infrastructure.bootstrap import build_application
from tests.builders import SAMPLES
from tests.conftest import drop_schema, make_settings


def test_the_log_is_created_and_written_with_a_pool_of_one_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTGRES_POOL_SIZE", "1")
    monkeypatch.setenv("POSTGRES_MAX_OVERFLOW", "0")
    settings = make_settings("postgres", tmp_path)
    try:
        app = build_application(settings)  # creates the log's tables under the creation lock
        try:
            assert app.recorder.datastore.pool.max_size == 1  # type: ignore[attr-defined]
            app.save(*(build(0) for build in SAMPLES))
            assert app.head() > 0
        finally:
            app.close()
    finally:
        drop_schema(settings)
