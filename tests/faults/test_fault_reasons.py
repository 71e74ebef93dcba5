"""Which errors mean "the database is unavailable" (503, exit 7), and which are bugs (500)."""

import sqlite3

import eventsourcing.persistence as es
import psycopg
import sqlalchemy.exc as sa

from infrastructure.storage.faults import DatabaseUnavailable, unavailable_reason


def wrapped(outer: BaseException, inner: BaseException) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as error:
            raise outer from error
    except BaseException as error:
        return error


def test_driver_and_library_errors_of_a_lost_database_are_recognised() -> None:
    refused = psycopg.OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 1 failed: Connection '
        "refused\n\tIs the server running on that host and accepting TCP/IP connections?"
    )

    assert unavailable_reason(refused) == (
        'connection to server at "127.0.0.1", port 1 failed: Connection refused'
    )
    assert unavailable_reason(wrapped(es.OperationalError("pool"), refused))
    assert unavailable_reason(es.InterfaceError("connection already closed"))
    assert unavailable_reason(sa.OperationalError("SELECT 1", {}, refused))
    assert unavailable_reason(sa.TimeoutError("QueuePool limit reached"))
    assert unavailable_reason(DatabaseUnavailable("no answer within 0.5 s"))
    invalidated = sa.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True)
    assert unavailable_reason(invalidated) == "gone"
    assert unavailable_reason(wrapped(RuntimeError("batch failed"), refused))


def test_sqlite_errors_count_only_when_the_file_cannot_be_used() -> None:
    locked = sqlite3.OperationalError("database is locked")
    no_table = sqlite3.OperationalError("no such table: rm_meetings")

    assert unavailable_reason(wrapped(es.OperationalError("database is locked"), locked))
    assert unavailable_reason(sqlite3.OperationalError("unable to open database file"))
    assert unavailable_reason(no_table) is None
    assert unavailable_reason(sa.OperationalError("SELECT 1", {}, no_table)) is None
    assert unavailable_reason(ValueError("a bug")) is None


def test_a_password_in_a_message_is_never_repeated() -> None:
    error = psycopg.OperationalError("bad dsn: postgresql://gill:hunter2@db/x password=hunter2")

    reason = unavailable_reason(error)

    assert reason is not None
    assert "hunter2" not in reason
