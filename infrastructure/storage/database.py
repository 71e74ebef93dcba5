"""Connections to the configured database: SQLAlchemy engines for the read side (on the same
database and schema as the events) and psycopg connection parameters."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL

from infrastructure.config import Settings
from infrastructure.storage.faults import LIBPQ_TIMEOUTS

#: Helper threads SQLite may use to sort while it builds an index (after a rebuild).
SORTER_THREADS = min(4, os.cpu_count() or 1)

_SQLITE = ["PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=30000", "PRAGMA foreign_keys=ON"]
_SQLITE_PROJECTIONS = [
    "PRAGMA synchronous=NORMAL",
    "PRAGMA wal_autocheckpoint=16384",
    f"PRAGMA threads={SORTER_THREADS}",
]
_POSTGRES_PROJECTIONS = "-c synchronous_commit=off -c maintenance_work_mem=256MB"


def sqlalchemy_url(settings: Settings) -> URL:
    url = settings.url
    if settings.store == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    return url.set(database=str(settings.sqlite_path))


def postgres_conninfo(settings: Settings) -> str:
    """libpq connection parameters for the configured PostgreSQL database (for psycopg)."""
    url = settings.url
    return psycopg.conninfo.make_conninfo(
        dbname=url.database or "postgres",
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        **{name: str(value) for name, value in LIBPQ_TIMEOUTS.items()},
    )


def create_read_engine(settings: Settings, **options: Any) -> Engine:
    """An engine whose unqualified tables live beside the events.

    PostgreSQL: tables without a schema are mapped to the configured schema. SQLite: WAL mode
    (as the event recorder uses) and a busy timeout, so readers and the writer do not block.
    """
    return _engine(settings, _SQLITE, None, **options)


def create_projection_engine(settings: Settings, **options: Any) -> Engine:
    """``create_read_engine`` for the projection runner: commits that do not wait for the disk.

    After a crash the last read-model commits may be lost, but never half of one, and a lost
    commit takes its rows and its projection positions together, so the runner applies those
    events again. Nothing else may use it (users and tokens must be durable).

    PostgreSQL: ``synchronous_commit=off``, and more memory to build indexes after a rebuild.
    SQLite: ``synchronous=NORMAL`` (in WAL mode a power cut cannot corrupt the file), a
    checkpoint every 64 MiB of WAL rather than every 4 MiB (a rebuild commits hundreds of
    batches), and index builds that sort in parallel (``threads``).
    """
    return _engine(settings, _SQLITE + _SQLITE_PROJECTIONS, _POSTGRES_PROJECTIONS, **options)


def snapshot_of(settings: Settings) -> Callable[[Connection], Connection]:
    """How a fresh connection reads from one snapshot of the database (``ReadService``'s reports).

    SQLite: an explicit ``BEGIN`` (the driver would start none before a read). PostgreSQL:
    ``REPEATABLE READ``.
    """
    return _sqlite_snapshot if settings.store == "sqlite" else _postgres_snapshot


def _sqlite_snapshot(conn: Connection) -> Connection:
    conn.exec_driver_sql("BEGIN")
    return conn


def _postgres_snapshot(conn: Connection) -> Connection:
    return conn.execution_options(isolation_level="REPEATABLE READ")


def _engine(
    settings: Settings, pragmas: list[str], postgres_options: str | None, **options: Any
) -> Engine:
    if settings.store == "postgresql":
        options["connect_args"] = {**LIBPQ_TIMEOUTS, **options.get("connect_args", {})}
        if postgres_options:
            options["connect_args"]["options"] = postgres_options
        options.setdefault("pool_timeout", settings.database_wait_seconds)
        engine = create_engine(sqlalchemy_url(settings), pool_pre_ping=True, **options)
        return engine.execution_options(schema_translate_map={None: settings.database_schema})
    engine = create_engine(sqlalchemy_url(settings), connect_args={"timeout": 30}, **options)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    return engine


@contextmanager
def holding_creation_lock(conn: "psycopg.Connection[Any]", schema: str) -> Iterator[None]:
    """Hold, on ``conn``, the advisory lock that processes creating a schema's objects (the
    schema, the log, the tables) take in turn: created at once, PostgreSQL refuses one of them
    ('tuple concurrently updated', a duplicate key of ``pg_type``). A session lock: it outlasts
    the transactions ``conn`` commits meanwhile."""
    key = f"actiontrail creates {schema}"
    conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
    conn.commit()
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
        conn.commit()


@contextmanager
def creating_tables(settings: Settings) -> Iterator[None]:
    """PostgreSQL: hold the schema's creation lock (processes starting together, e.g. the
    workers of ``serve --workers``, would otherwise both issue ``CREATE TABLE`` for a missing
    table and one fail on ``pg_type``'s unique index). SQLite: nothing to hold."""
    if settings.store != "postgresql":
        yield
        return
    with (
        psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn,
        holding_creation_lock(conn, settings.database_schema),
    ):
        yield
