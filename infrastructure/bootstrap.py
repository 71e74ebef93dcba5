"""Builds the application (and its storage) from settings."""

from typing import TypeVar, overload

import psycopg
from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Identifier

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.database_faults import LIBPQ_TIMEOUTS, POOL_WAIT_SECONDS
from infrastructure.postgres_store import PostgresStore
from infrastructure.recorders import PostgresRecorder, SQLiteRecorder


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
            "APPLICATION_RECORDER_TOPIC": get_topic(SQLiteRecorder),
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
            "POSTGRES_LOCK_TIMEOUT": "30",
            "POSTGRES_CONNECT_TIMEOUT": str(POOL_WAIT_SECONDS),
            "APPLICATION_RECORDER_TOPIC": get_topic(PostgresRecorder),
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


def ensure_schema(settings: Settings) -> None:
    """PostgreSQL: create the configured schema if it is missing (the library does not)."""
    if settings.store != "postgresql":
        return
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        conn.execute(
            SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(settings.database_schema))
        )


A = TypeVar("A", bound=ActionTrail)


@overload
def build_application(settings: Settings | None = None) -> ActionTrail: ...


@overload
def build_application(settings: Settings | None, app_class: type[A]) -> A: ...


def build_application(
    settings: Settings | None = None, app_class: type[ActionTrail] = ActionTrail
) -> ActionTrail:
    """The application (of ``app_class``) on the configured store, its schema created."""
    settings = settings or Settings()
    ensure_schema(settings)
    return app_class(env=eventsourcing_env(settings), reference=settings.reference())
