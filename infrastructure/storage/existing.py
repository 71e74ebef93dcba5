"""Whether the configured database already holds actiontrail's records, asked without creating
anything: no SQLite file, no PostgreSQL schema, no table.

Only ``demo``, ``serve`` and the first governance ``users add`` create a database; every other
command first asks here, so that a typo in ``ACTIONTRAIL_DATABASE_URL`` or
``ACTIONTRAIL_DATABASE_SCHEMA`` is named rather than answered from a new, empty database.
"""

import re
import sqlite3
from contextlib import closing

import psycopg

from infrastructure.bootstrap import EVENTS_TABLE, refuse_foreign_event_tables
from infrastructure.config import ConfigurationError, Settings
from infrastructure.storage.database import postgres_conninfo

#: Tables only actiontrail makes: the log (its name on SQLite, on PostgreSQL) and the users.
_MARKS = ("stored_events", EVENTS_TABLE, "users")
#: What PostgreSQL says, connecting, when the database of the URL does not exist.
_NO_SUCH_DATABASE = re.compile(r'database "[^"]*" does not exist')
_TO_CREATE = "create one with actiontrail demo or actiontrail users add --role governance"


class NoDatabase(ConfigurationError):
    """The configured file, database or schema does not exist or holds no actiontrail records."""


def require_existing(settings: Settings) -> None:
    """Raise ``NoDatabase`` naming what is missing, unless the database holds actiontrail's."""
    problem = missing(settings)
    if problem is not None:
        raise NoDatabase(problem)


def exists(settings: Settings) -> bool:
    return missing(settings) is None


def missing(settings: Settings) -> str | None:
    """Why there is no actiontrail database where the settings point, or None."""
    if settings.store == "sqlite":
        return _missing_file(settings)
    try:
        with psycopg.connect(postgres_conninfo(settings)) as conn:
            return _missing_schema(settings, conn)
    except psycopg.OperationalError as error:
        problem = no_such_database(settings, error)
        if problem is None:
            raise
        return problem


def no_such_database(settings: Settings, error: BaseException) -> str | None:
    """The message for a PostgreSQL database that does not exist, if ``error`` says so."""
    if settings.store != "postgresql" or not _NO_SUCH_DATABASE.search(str(error)):
        return None
    url = settings.url
    return (
        f"no PostgreSQL database {url.database or 'postgres'} on {url.host or '127.0.0.1'}:"
        f"{url.port or 5432} (ACTIONTRAIL_DATABASE_URL); check its name, or create it "
        "(createdb) first"
    )


def _missing_file(settings: Settings) -> str | None:
    path = settings.sqlite_path
    if not path.exists():
        return (
            f"no database at {path} (ACTIONTRAIL_DATABASE_URL); run actiontrail demo or check "
            "the path"
        )
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        tables = set()
    if tables.isdisjoint(_MARKS):
        return (
            f"{path} holds no actiontrail database (ACTIONTRAIL_DATABASE_URL); check the path, "
            f"or {_TO_CREATE}"
        )
    return None


def _missing_schema(settings: Settings, conn: "psycopg.Connection[tuple[str]]") -> str | None:
    schema = settings.database_schema
    holding = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT table_schema FROM information_schema.tables "
            "WHERE table_name = ANY(%s) ORDER BY table_schema",
            (list(_MARKS),),
        )
    ]
    if schema in holding:
        return None
    found = conn.execute(
        "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,)
    ).fetchone()
    if found:
        refuse_foreign_event_tables(conn, schema)
    url = settings.url
    where = (
        f"PostgreSQL database {url.database or 'postgres'} on {url.host or '127.0.0.1'}:"
        f"{url.port or 5432}"
    )
    what = (
        f"the schema {schema} holds no actiontrail database"
        if found
        else f"there is no schema {schema!r}"
    )
    others = f"; schemas there that do: {', '.join(holding[:10])}" if holding else ""
    return (
        f"{what} in the {where} (ACTIONTRAIL_DATABASE_SCHEMA){others}; check the name, or "
        f"{_TO_CREATE}"
    )
