"""The eventsourcing library's own recorder test cases, run against our recorders.

Our recorders override and unwrap methods of the library's (``docs/decisions/``); these cases are
the library's statement of what an application recorder must do. Each runs on SQLite (a file of
its own) and on PostgreSQL (a schema of its own, dropped afterwards, and a pool of one
connection, as the library's own tests use), for the plain recorders and the lean ones of the
fast paths.
"""

import tempfile
import threading
from pathlib import Path
from typing import Any, ClassVar
from unittest import TestCase

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests import persistence as library

from infrastructure.bootstrap import ensure_schema
from infrastructure.storage.fastpaths.postgres import PostgresLeanRecorder
from infrastructure.storage.fastpaths.sqlite import SQLiteLeanRecorder
from infrastructure.storage.recorders import PostgresRecorder, SQLiteRecorder
from tests.conftest import drop_schema, make_settings

ApplicationCases = library.ApplicationRecorderTestCase
#: How long a case's leftover thread (a reader told to stop) is waited for.
THREAD_JOIN_SECONDS = 10
NonInterleavingCases = library.NonInterleavingNotificationIDsBaseCase


class JoiningThreads(TestCase):
    """Threads a case started are joined before its datastore is closed: the library's
    ``test_concurrent_no_conflicts`` tells its reader threads to stop but returns without
    joining them, and a reader still in ``select_notifications`` when the next case began then
    used a closed SQLite connection and crashed the process (a segmentation fault)."""

    def setUp(self) -> None:
        super().setUp()
        self.threads_before = set(threading.enumerate())

    def join_threads_started(self) -> None:
        for thread in set(threading.enumerate()) - self.threads_before:
            if not thread.daemon:  # a pool's workers are daemons, and end when it is closed
                thread.join(THREAD_JOIN_SECONDS)


class OnSQLite(JoiningThreads):
    """A new SQLite file for each case."""

    recorder_class: ClassVar[type[SQLiteRecorder]]

    def setUp(self) -> None:
        super().setUp()
        self.directory = tempfile.TemporaryDirectory()
        self.datastore = SQLiteDatastore(str(Path(self.directory.name) / "events.db"))

    def tearDown(self) -> None:
        self.join_threads_started()
        self.datastore.close()
        self.directory.cleanup()
        super().tearDown()

    def create_recorder(self) -> Any:
        recorder = self.recorder_class(self.datastore)
        recorder.create_table()
        return recorder


class OnPostgres(JoiningThreads):
    """A new PostgreSQL schema for each case, reached through a pool of ``pool_size``
    connections."""

    recorder_class: ClassVar[type[PostgresRecorder]]
    pool_size: ClassVar[int] = 1

    def setUp(self) -> None:
        super().setUp()
        self.directory = tempfile.TemporaryDirectory()
        self.settings = make_settings("postgres", self.directory.name)
        ensure_schema(self.settings)
        url = self.settings.url
        self.datastore = PostgresDatastore(
            dbname=url.database or "postgres",
            host=url.host or "127.0.0.1",
            port=url.port or 5432,
            user=url.username or "postgres",
            password=url.password or "",
            schema=self.settings.database_schema,
            pool_size=self.pool_size,
        )

    def tearDown(self) -> None:
        self.join_threads_started()
        self.datastore.close()
        drop_schema(self.settings)
        self.directory.cleanup()
        super().tearDown()

    def create_recorder(self) -> Any:
        recorder = self.recorder_class(self.datastore)
        recorder.create_table()
        return recorder


class ApplicationRecorderCases(ApplicationCases):  # type: ignore[type-arg]
    # They measure and print, and assert nothing that the other cases do not.
    test_performance = None  # type: ignore[assignment]
    test_concurrent_throughput = None  # type: ignore[assignment]


class SubscribingCases(ApplicationCases):  # type: ignore[type-arg]
    """A subscription to PostgreSQL's recorders is woken on the channel they NOTIFY (it holds a
    connection of its own to LISTEN: a pool of two)."""

    test_insert_select = None  # type: ignore[assignment]
    test_performance = None  # type: ignore[assignment]
    test_concurrent_no_conflicts = None  # type: ignore[assignment]
    test_concurrent_throughput = None  # type: ignore[assignment]

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()


class TestSQLiteRecorder(OnSQLite, ApplicationRecorderCases):
    recorder_class = SQLiteRecorder


class TestSQLiteLeanRecorder(OnSQLite, ApplicationRecorderCases):
    recorder_class = SQLiteLeanRecorder


class TestSQLiteRecorderNonInterleaving(OnSQLite, NonInterleavingCases):
    recorder_class = SQLiteRecorder


class TestPostgresRecorder(OnPostgres, ApplicationRecorderCases):
    recorder_class = PostgresRecorder


class TestPostgresLeanRecorder(OnPostgres, ApplicationRecorderCases):
    recorder_class = PostgresLeanRecorder


class TestPostgresRecorderSubscribing(OnPostgres, SubscribingCases):
    recorder_class = PostgresRecorder
    pool_size = 2


class TestPostgresLeanRecorderSubscribing(OnPostgres, SubscribingCases):
    recorder_class = PostgresLeanRecorder
    pool_size = 2


class TestPostgresRecorderNonInterleaving(OnPostgres, NonInterleavingCases):
    recorder_class = PostgresRecorder
