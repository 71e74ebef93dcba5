"""The database cannot be reached: how long to wait for it, and how to say so.

Every process gives up on an unreachable database within a few seconds instead of hanging:
connections time out (``CONNECT_SECONDS``), a request for a pooled connection waits at most
``Settings.database_wait_seconds`` (2 s unless set), and the event store retries a lost
connection for ``RETRY_SECONDS`` at most. ``unavailable_reason`` recognises the errors that
mean "the database is not there" (from psycopg, SQLAlchemy, sqlite3 or the eventsourcing
library, however deeply wrapped), so the API answers 503 and the command line an
``error: database unavailable`` line.
"""

import re
import sqlite3
from collections.abc import Iterator

import eventsourcing.persistence as es
import psycopg
import sqlalchemy.exc as sa

from infrastructure.config import Settings

#: Seconds to open a connection (libpq's ``connect_timeout``; it counts whole seconds, 2 at least).
CONNECT_SECONDS = 3
#: Seconds the event store keeps retrying an operation whose connection failed.
RETRY_SECONDS = 3.0
#: Seconds a broken pool slot keeps trying to reconnect before the next request tries afresh
#: (the library's default, five minutes with doubling pauses, made recovery take ~15 s).
RECONNECT_SECONDS = 4.0
#: What clients are told to wait before trying again (``Retry-After``).
RETRY_AFTER_SECONDS = 5

#: libpq settings for every PostgreSQL connection: connect within ``CONNECT_SECONDS``, and notice
#: a peer that vanished (keepalives; data unacknowledged for 15 s) rather than wait for ever.
LIBPQ_TIMEOUTS: dict[str, int] = {
    "connect_timeout": CONNECT_SECONDS,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}

#: Errors that say the database could not be reached or did not answer in time.
UNREACHABLE: tuple[type[Exception], ...] = (
    psycopg.OperationalError,  # including psycopg_pool.PoolTimeout
    psycopg.InterfaceError,
    es.OperationalError,
    es.InterfaceError,
    sa.OperationalError,
    sa.InterfaceError,
    sa.TimeoutError,  # SQLAlchemy's pool
)
#: What sqlite3 says when the file cannot be opened or stays locked (its other "operational"
#: errors, e.g. "no such table", are faults of the program, not of the database).
_SQLITE_UNAVAILABLE = re.compile(r"database is locked|unable to open|disk I/O error|readonly")


class DatabaseUnavailable(Exception):
    """The database did not answer; the message says what was tried and why it failed."""


def unavailable_reason(error: BaseException) -> str | None:
    """Why the database is unavailable, if ``error`` (or what caused it) says it is."""
    chain = list(_causes(error))
    for cause in chain:
        if isinstance(cause, sqlite3.Error):
            return _one_line(cause) if _SQLITE_UNAVAILABLE.search(str(cause)) else None
    for cause in chain:
        if isinstance(cause, (DatabaseUnavailable, *UNREACHABLE)):
            return _one_line(cause)
        if isinstance(cause, sa.DBAPIError) and cause.connection_invalidated:
            return _one_line(cause)
    return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        original = current.orig if isinstance(current, sa.StatementError) else None
        current = original or current.__cause__ or current.__context__


def _one_line(error: BaseException) -> str:
    if isinstance(error, sa.StatementError) and error.orig is not None:
        error = error.orig
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    text = text.removeprefix("connection failed: ")
    return _without_password(text)


def _without_password(text: str) -> str:
    text = re.sub(r"(password\s*=\s*)\S+", r"\1***", text, flags=re.IGNORECASE)
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


def describe_database(settings: Settings) -> str:
    """The database these settings open, for people: never a password."""
    if settings.store == "sqlite":
        return f"SQLite file {settings.sqlite_path}"
    url = settings.url
    return (
        f"PostgreSQL database {url.database or 'postgres'} on {url.host or '127.0.0.1'}:"
        f"{url.port or 5432} as {url.username or 'postgres'}, schema {settings.database_schema}"
    )
