"""The library's database functions are refused: its insert function would skip our receipts and
hash chain and NOTIFY a channel our runners do not LISTEN on (PostgreSQL's setting alone)."""

from pathlib import Path

import pytest
from eventsourcing.postgres import PostgresDatastore

from infrastructure.bootstrap import build_application
from infrastructure.cli import main
from infrastructure.cli.output import ExitCode
from infrastructure.config import ConfigurationError
from infrastructure.storage.fastpaths.postgres import PostgresLeanRecorder
from infrastructure.storage.recorders import PostgresRecorder
from tests.conftest import drop_schema, make_settings


@pytest.mark.parametrize("recorder_class", [PostgresRecorder, PostgresLeanRecorder])
def test_a_recorder_refuses_a_datastore_with_the_library_database_functions(
    recorder_class: type[PostgresRecorder],
) -> None:
    datastore = PostgresDatastore(
        "test", "127.0.0.1", 5432, "postgres", "", enable_db_functions=True
    )
    try:
        with pytest.raises(ConfigurationError, match="POSTGRES_ENABLE_DB_FUNCTIONS"):
            recorder_class(datastore)
    finally:
        datastore.close()


def test_the_cli_says_why_it_does_not_start_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings("postgres", tmp_path)
    build_application(settings).close()  # an existing database
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_SCHEMA", settings.database_schema)
    monkeypatch.setenv("ACTIONTRAIL_POSTGRES_ENABLE_DB_FUNCTIONS", "y")
    try:
        code = main(["verify"])
    finally:
        drop_schema(settings)
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert err.startswith("error: ACTIONTRAIL_POSTGRES_ENABLE_DB_FUNCTIONS")
    assert "Unset it" in err
