"""Builds everything from settings: the application and its storage, and the ``Services`` that
HTTP, the command line and tests share.

``build_services(settings)`` builds each part on first use, for a command that needs only some;
``build_services(settings, follow=True)`` (the server, the worker) also runs the projections in
a background thread, woken at once by saves (``infrastructure.storage.notification``), and makes the
log's checkpoints in another (``infrastructure.integrity``). Without ``follow``, closing makes
a checkpoint if this process wrote events and one is due. Close with ``close()`` or use it as a
context manager::

    with build_services(settings) as services:
        user = services.users.authenticate(token)
        services.read.overdue_actions(as_of)
"""

import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Generic, Self, TypeVar, overload

import psycopg
from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Identifier

from application.service import STORED_NAME, ActionTrail
from infrastructure.config import ConfigurationError, Settings
from infrastructure.integrity.checkpoints import CheckpointThread
from infrastructure.integrity.service import Integrity, after_writes
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.reference import reference_of
from infrastructure.read_side import build_read_service, standards_from
from infrastructure.signin.service import SignIn
from infrastructure.storage.database import (
    create_read_engine,
    creating_tables,
    holding_creation_lock,
    postgres_conninfo,
)
from infrastructure.storage.fastpaths import recorder_class
from infrastructure.storage.notification import Notifier, NotifyingActionTrail
from infrastructure.storage.postgres_store import PostgresStore
from infrastructure.storage.users import UserDirectory
from projections.service import ReadService

if TYPE_CHECKING:
    from infrastructure.packs.service import Packs


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
            "POSTGRES_CONNECT_TIMEOUT": str(settings.database_wait_seconds),
            "APPLICATION_RECORDER_TOPIC": get_topic(recorder_class(settings)),
        }
    if settings.cipher_key is not None:
        env["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher"
        env["CIPHER_KEY"] = settings.cipher_key.get_secret_value()
    return env


#: The table of the one log on PostgreSQL (the library names it after the application).
EVENTS_TABLE = f"{STORED_NAME.lower()}_events"

_EVENT_TABLES = SQL(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_attribute a ON a.attrelid = c.oid WHERE n.nspname = %s AND c.relkind IN ('r', 'p') "
    "AND NOT a.attisdropped "
    "AND a.attname IN ('originator_id', 'originator_version', 'topic', 'state') "
    "GROUP BY c.relname HAVING count(*) = 4 ORDER BY c.relname"
)


def ensure_schema(settings: Settings) -> None:
    """PostgreSQL: create the configured schema if it is missing (the library does not), and
    refuse one that holds event tables other than the one log (``ConfigurationError``).
    SQLite: put the file in write-ahead-log mode (see ``write_ahead_log``).

    Before 0.2 the server wrote to ``notifyingactiontrail_events`` while the CLI wrote to
    ``actiontrail_events``; serving one of two logs would hide the other's records.
    """
    if settings.store != "postgresql":
        write_ahead_log(settings.sqlite_path)
        return
    schema = settings.database_schema
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        with holding_creation_lock(conn, schema):
            conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
        refuse_foreign_event_tables(conn, schema)


def refuse_foreign_event_tables(conn: "psycopg.Connection[tuple[str]]", schema: str) -> None:
    """Raise ``ConfigurationError`` if ``schema`` holds event tables besides the one log."""
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


def write_ahead_log(path: Path, attempts: int = 100) -> None:
    """Switch a SQLite file (made if missing) to write-ahead logging, once for all its users.

    The library switches each new connection, and SQLite answers "database is locked" at once,
    without waiting, to a switch while another process has the file open: processes that start
    together on a new file would fail. Here the switch is retried until one has made it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(attempts):
        try:
            with closing(sqlite3.connect(path, timeout=30)) as conn:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.02)
    raise ConfigurationError(f"{path} stayed locked: cannot switch it to write-ahead logging")


A = TypeVar("A", bound=ActionTrail)
T = TypeVar("T")


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


def build_notifying_application(settings: Settings) -> NotifyingActionTrail:
    """The application, waking projection runners on every save (see ``notification``)."""
    return build_application(settings, NotifyingActionTrail)


class Built(Generic[T]):
    """A part built on first ``get``, once (under ``lock``), then returned without locking."""

    def __init__(self, build: Callable[[], T], lock: threading.RLock) -> None:
        self.value: T | None = None
        self._build = build
        self._lock = lock

    def get(self) -> T:
        value = self.value
        if value is None:
            with self._lock:
                if self.value is None:
                    self.value = self._build()
                value = self.value
        return value


class Services:
    """The application, the users and the read side of one database, closed together.

    Each part is built on first use; ``follow`` builds the application and the read side at
    once, runs the projections in a background thread and wakes them on saves.
    """

    def __init__(self, settings: Settings, *, follow: bool = False) -> None:
        self.settings = settings
        self.follow = follow
        #: Wakes the running projections on saves (``follow`` only).
        self.notifier: Notifier | None = None
        #: Makes the log's checkpoints when due (``follow`` only).
        self.checkpoints: CheckpointThread | None = None
        self._lock = threading.RLock()
        self._trail = Built(self._build_trail, self._lock)
        self._users = Built(self._build_users, self._lock)
        self._signin = Built(self._build_signin, self._lock)
        self._read = Built(lambda: build_read_service(settings, self.trail), self._lock)
        self._queries = Built(self._build_queries, self._lock)
        self._integrity = Built(lambda: Integrity(settings, self.trail), self._lock)
        if follow:
            try:
                self._start_following()
            except BaseException:
                self.close()
                raise

    @property
    def trail(self) -> ActionTrail:
        """The application (a ``NotifyingActionTrail`` when following)."""
        return self._trail.get()

    @property
    def users(self) -> UserDirectory:
        return self._users.get()

    @property
    def signin(self) -> SignIn:
        """Tokens checked and throttled, console sessions, single sign-on, their record."""
        return self._signin.get()

    @property
    def read(self) -> ReadService:
        """The read models' query service (reports wait for the projections they read)."""
        return self._read.get()

    @property
    def queries(self) -> Queries:
        """Every read the front ends answer, authorised for the caller (the read side is
        built only when a query needs it)."""
        return self._queries.get()

    @property
    def integrity(self) -> Integrity:
        """The log's hash chain and checkpoints: verify, checkpoint, the public key."""
        return self._integrity.get()

    @property
    def packs(self) -> "Packs":
        """Inspection packs: made from the read side at a checkpoint, checked against the log."""
        from infrastructure.packs.service import Packs  # fpdf2 only for those who make packs

        return Packs(self.read, self.integrity, self.settings.partnership_name)

    def _build_trail(self) -> ActionTrail:
        if self.follow:
            return build_notifying_application(self.settings)
        return build_application(self.settings)

    def _build_queries(self) -> Queries:
        reference = reference_of(self.settings.reference(), standards_from(self.settings))
        return Queries(self, self.trail, reference=reference)

    def _build_users(self) -> UserDirectory:
        ensure_schema(self.settings)
        with creating_tables(self.settings):
            return UserDirectory(
                create_read_engine(self.settings),
                self.settings.reference(),
                timedelta(days=self.settings.token_lifetime_days),
            )

    def _build_signin(self) -> SignIn:
        users = self.users
        with creating_tables(self.settings):
            return SignIn(users.engine, self.settings, users)

    def _start_following(self) -> None:
        runner = self.read.runner
        self.notifier = Notifier(self.settings, self.trail, runner.poke)
        self.notifier.start()
        runner.start()
        self.checkpoints = self.integrity.background()
        if isinstance(self.trail, NotifyingActionTrail):
            self.trail.on_saved.append(self.checkpoints.poke)
        self.checkpoints.start()

    def close(self) -> None:
        """Stop the projections and checkpoints, and close what was built."""
        with self._lock:
            read, users, trail = self._read.value, self._users.value, self._trail.value
            if read is not None:
                read.stop()
                read.runner.engine.dispose()
            if self.notifier is not None:
                self.notifier.stop()
            if self.checkpoints is not None:
                self.checkpoints.stop()
            if users is not None:
                users.close()
            if trail is not None:
                if not self.follow:
                    after_writes(self.settings, trail)
                trail.close()
            self._read.value = self._users.value = self._trail.value = None
            self._signin.value = None
            self._queries.value = self._integrity.value = None
            self.notifier = None
            self.checkpoints = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def build_services(settings: Settings | None = None, *, follow: bool = False) -> Services:
    """The services of the configured database (by default from ``ACTIONTRAIL_*`` variables)."""
    return Services(settings or Settings(), follow=follow)
