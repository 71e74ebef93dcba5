"""A command that does not create a database names a missing one and creates nothing: no SQLite
file, no PostgreSQL schema, no table (both stores)."""

import sqlite3
from collections.abc import Callable
from contextlib import closing
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from infrastructure.config import Settings
from infrastructure.storage.database import postgres_conninfo
from tests.cli.conftest import Run
from tests.conftest import POSTGRES_URL

READING = [
    ("report", "overdue"),
    ("list", "actions"),
    ("users", "list"),
    ("queue",),
    ("reference",),
    ("audit-log",),
    ("projections", "status"),
    ("verify",),
    ("integrity", "checkpoint"),
    ("users", "add", "--name", "Ian", "--role", "inspector"),
]


def schema_tables(settings: Settings) -> list[str] | None:
    """The schema's tables, or None when there is no such schema."""
    with psycopg.connect(postgres_conninfo(settings)) as conn:
        if not conn.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
            (settings.database_schema,),
        ).fetchone():
            return None
        return [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (settings.database_schema,),
            )
        ]


def file_tables(settings: Settings) -> list[str] | None:
    if not settings.sqlite_path.exists():
        return None
    with closing(sqlite3.connect(settings.sqlite_path)) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]


def tables(settings: Settings) -> list[str] | None:
    return file_tables(settings) if settings.store == "sqlite" else schema_tables(settings)


@pytest.mark.parametrize("argv", READING)
def test_a_missing_database_is_named_and_nothing_is_created(
    argv: tuple[str, ...], run: Run, settings: Settings
) -> None:
    result = run(*argv)

    assert tables(settings) is None
    if argv[:2] == ("users", "add"):
        assert result.code == 4
        assert result.err.startswith("error: the first user must have the governance role: ")
    else:
        assert result.code == 2, result.err
    if settings.store == "sqlite":
        assert f"no database at {settings.sqlite_path} (ACTIONTRAIL_DATABASE_URL)" in result.err
    else:
        assert (
            f"there is no schema '{settings.database_schema}' in the PostgreSQL database "
            in result.err
        )
        assert "(ACTIONTRAIL_DATABASE_SCHEMA)" in result.err


@pytest.mark.parametrize("argv", READING[:4])
def test_a_database_without_actiontrail_records_is_named_and_left_as_it_was(
    argv: tuple[str, ...], run: Run, settings: Settings
) -> None:
    if settings.store == "sqlite":
        with closing(sqlite3.connect(settings.sqlite_path)) as conn:
            conn.execute("CREATE TABLE notes (text TEXT)")
    else:
        with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{settings.database_schema}"')

    result = run(*argv, token="at_x")

    assert result.code == 2, result.err
    assert "holds no actiontrail database" in result.err
    assert tables(settings) == (["notes"] if settings.store == "sqlite" else [])


def test_a_typo_in_the_schema_names_it_and_the_schemas_that_hold_records(
    run: Run,
    settings: Settings,
    governance: str,
    monkeypatch: pytest.MonkeyPatch,
    add_user: Callable[..., dict[str, Any]],
) -> None:
    if settings.store == "sqlite":
        typo = settings.sqlite_path.with_name("actiontrial.db")
        monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", f"sqlite:///{typo}")
    else:
        typo = settings.database_schema[:-1]
        monkeypatch.setenv("ACTIONTRAIL_DATABASE_SCHEMA", typo)

    result = run("report", "overdue", token=governance)

    assert result.code == 2
    assert "token" not in result.err
    if settings.store == "sqlite":
        assert not typo.exists()
    else:
        assert f"there is no schema '{typo}'" in result.err
        assert settings.database_schema in result.err.split("schemas there that do: ")[1]
        assert (
            schema_tables(Settings(database_url=settings.database_url, database_schema=typo))
            is None
        )


@pytest.mark.parametrize("store", ["postgres"])
def test_a_missing_postgresql_database_is_named_not_unavailable(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(POSTGRES_URL).set(database="actiontrail_no_such_db")
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", url.render_as_string(hide_password=False))

    for argv in (("report", "overdue"), ("users", "add", "--name", "G", "--role", "governance")):
        result = run(*argv)
        assert result.code == 2, result.err
        assert result.err == (
            f"error: no PostgreSQL database actiontrail_no_such_db on {url.host}:{url.port or 5432}"
            " (ACTIONTRAIL_DATABASE_URL); check its name, or create it (createdb) first\n"
        )
