"""Builds the application (and its storage) from settings."""

from typing import TypeVar, overload

import psycopg
from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Identifier

from application.service import STORED_NAME, ActionTrail
from infrastructure.config import ConfigurationError, Settings
from infrastructure.database_faults import LIBPQ_TIMEOUTS, POOL_WAIT_SECONDS
from infrastructure.fastpaths import recorder_class
from infrastructure.postgres_store import PostgresStore


def eventsourcing_env(settings: Settings) -> dict[str, str]:
    """The eventsourcing library's environment for these settings."""
    url = settings.url
    env: dict[str, str]
    if settings.store == "sqlite":
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.sqlite_path),
            "SQLITE_LOCK_TIMEOUT": "30",
            "APPLICATION_RECORDER_TOPIC": get_topic(recorder_class(settings)),
        }
    else:
        env = {
            "PERSISTENCE_MODULE": get_topic(PostgresStore),
            "POSTGRES_DBNAME": url.database or "postgres",
            "POSTGRES_HOST": url.host or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": url.username or "postgres",
            "POSTGRES_PASSWORD": url.password or "",
            "POSTGRES_SCHEMA": settings.database_schema,
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            # A writer waits this long for the log's table lock, and one stuck idle inside its
            # transaction is ended after the second setting (see also WRITE_TIMEOUT_SECONDS).
            "POSTGRES_LOCK_TIMEOUT": "10",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "5",
            "POSTGRES_CONNECT_TIMEOUT": str(POOL_WAIT_SECONDS),
            "APPLICATION_RECORDER_TOPIC": get_topic(recorder_class(settings)),
        }
    if settings.cipher_key is not None:
        env["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher"
        env["CIPHER_KEY"] = settings.cipher_key.get_secret_value()
    return env


def postgres_conninfo(settings: Settings) -> str:
    url = settings.url
    return psycopg.conninfo.make_conninfo(
        dbname=url.database or "postgres",
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        **{name: str(value) for name, value in LIBPQ_TIMEOUTS.items()},
    )


#: The table of the one log on PostgreSQL (the library names it after the application).
EVENTS_TABLE = f"{STORED_NAME.lower()}_events"

_EVENT_TABLES = SQL(
    "SELECT table_name FROM information_schema.columns WHERE table_schema = %s "
    "AND column_name IN ('originator_id', 'originator_version', 'topic', 'state') "
    "GROUP BY table_name HAVING count(*) = 4 ORDER BY table_name"
)


def ensure_schema(settings: Settings) -> None:
    """PostgreSQL: create the configured schema if it is missing (the library does not), and
    refuse one that holds event tables other than the one log (``ConfigurationError``).

    Before 0.2 the server wrote to ``notifyingactiontrail_events`` while the CLI wrote to
    ``actiontrail_events``; serving one of two logs would hide the other's records.
    """
    if settings.store != "postgresql":
        return
    schema = settings.database_schema
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
        tables = [row[0] for row in conn.execute(_EVENT_TABLES, (schema,))]
    foreign = [table for table in tables if table != EVENTS_TABLE]
    if foreign:
        raise ConfigurationError(
            f"the PostgreSQL schema {schema!r} holds event tables other than actiontrail's log "
            f"{schema}.{EVENTS_TABLE}: {', '.join(foreign)}. Every actiontrail process must "
            "share one log: if these tables were written by an older actiontrail, move their "
            "events into the log as docs/operations.md ('Two event tables in one schema') "
            "says; otherwise give actiontrail a schema of its own (ACTIONTRAIL_DATABASE_SCHEMA)"
        )


A = TypeVar("A", bound=ActionTrail)


@overload
def build_application(settings: Settings | None = None) -> ActionTrail: ...


@overload
def build_application(settings: Settings | None, app_class: type[A]) -> A: ...


def build_application(
    settings: Settings | None = None, app_class: type[ActionTrail] = ActionTrail
) -> ActionTrail:
    """The application (of ``app_class``) on the configured store, its schema created.

    Raises ``ConfigurationError`` when the schema holds event tables of another name.
    """
    settings = settings or Settings()
    ensure_schema(settings)
    return app_class(env=eventsourcing_env(settings), reference=settings.reference())
