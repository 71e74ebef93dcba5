"""The library's application recorders, with receipts of keyed commands and position look-ups.

On PostgreSQL every operation is ``retried`` within a time limit rather than ten times. These
are the recorders of the plain path; ``infrastructure.storage.fastpaths`` subclasses them with a
leaner notification read. Every write also links its events into the log's hash chain, in its own
transaction (``infrastructure.integrity``: ``chain`` is the recorder's ``ChainStore``).
"""

import inspect
import time
from collections.abc import Callable, Collection, Sequence
from contextlib import suppress
from functools import wraps
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg import Cursor
from psycopg.errors import DuplicateObject
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Identifier

from application.receipts import Receipt
from infrastructure.config import ConfigurationError
from infrastructure.integrity.postgres import PostgresChain
from infrastructure.integrity.sqlite import SQLiteChain
from infrastructure.storage.database import holding_creation_lock
from infrastructure.storage.faults import RETRY_SECONDS

#: Receipts of keyed commands (see ``application.receipts``), beside the events table.
RECEIPTS_COLUMNS = (
    "user_id TEXT NOT NULL, command_key TEXT NOT NULL, digest TEXT NOT NULL, "
    "aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (user_id, command_key)"
)


#: Ids a query of ``SQLiteRecorder.stored_among`` asks about (SQLite's bound variables).
_IDS_A_QUERY = 500


def _receipt(row: Sequence[Any] | None, user_id: str, key: str) -> Receipt | None:
    if row is None:
        return None
    digest, aggregate_id, version = row
    return Receipt(user_id, key, digest, UUID(aggregate_id), version)


def _receipt_values(receipt: Receipt) -> tuple[str, str, str, str, int]:
    return (
        receipt.user_id,
        receipt.key,
        receipt.digest,
        str(receipt.aggregate_id),
        receipt.version,
    )


class SQLiteRecorder(SQLiteApplicationRecorder):
    receipts_table = "command_receipts"

    def __init__(
        self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"
    ) -> None:
        self.chain = SQLiteChain(datastore, events_table_name)
        super().__init__(datastore, events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.receipts_table} ({RECEIPTS_COLUMNS})",
            *self.chain.create_statements,
        ]

    def create_table(self) -> None:
        super().create_table()
        self.chain.heal()

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        receipt: Receipt | None = kwargs.get("receipt")
        if receipt is not None:
            c.execute(
                f"INSERT INTO {self.receipts_table} VALUES (?,?,?,?,?)", _receipt_values(receipt)
            )
        self.chain.after_insert(c, stored_events, positions or ())
        return positions

    def find_receipt(self, user_id: str, key: str) -> Receipt | None:
        statement = (
            f"SELECT digest, aggregate_id, version FROM {self.receipts_table} "
            "WHERE user_id = ? AND command_key = ?"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (user_id, key))
            return _receipt(cursor.fetchone(), user_id, key)

    def positions(self, originator_id: UUID) -> dict[int, int]:
        statement = (
            f"SELECT originator_version, rowid FROM {self.events_table_name} "
            "WHERE originator_id = ?"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (originator_id.hex,))
            return {row[0]: row[1] for row in cursor.fetchall()}

    def stored_among(self, originator_ids: Collection[UUID]) -> set[UUID]:
        found: set[UUID] = set()
        ids = [i.hex for i in originator_ids]
        for start in range(0, len(ids), _IDS_A_QUERY):
            chunk = ids[start : start + _IDS_A_QUERY]
            statement = (
                f"SELECT DISTINCT originator_id FROM {self.events_table_name} "
                f"WHERE originator_id IN ({', '.join('?' * len(chunk))})"
            )
            with self.datastore.transaction(commit=False) as cursor:
                cursor.execute(statement, chunk)
                found.update(UUID(row[0]) for row in cursor.fetchall())
        return found

    def notifications_at(self, positions: Sequence[int]) -> list[Notification]:
        """The notifications at these positions (those that exist), in position order."""
        if not positions:
            return []
        statement = (
            f"SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} WHERE rowid IN ({', '.join('?' * len(positions))}) "
            "ORDER BY rowid"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, list(positions))
            return [
                Notification(
                    id=row["rowid"],
                    originator_id=self.convert_originator_id(row["originator_id"]),
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in cursor.fetchall()
            ]


#: How long one statement of a write may take on PostgreSQL before it fails (and rolls back,
#: releasing the log's table lock for the other writers).
WRITE_TIMEOUT_SECONDS = 5.0
#: Writes of more event state than this go without psycopg's pipeline mode, which can deadlock
#: on large payloads (the client waits for results while the server waits for the rest of the
#: query, holding the log's table lock; seen with 8 MB of state, psycopg 3.3).
PIPELINE_MAX_BYTES = 256 * 1024
#: Events per INSERT statement when many are written in one transaction (a whole import).
INSERT_SLICE = 2000


P = ParamSpec("P")
R = TypeVar("R")
#: Pause between two attempts of an operation whose connection failed.
RETRY_PAUSE = 0.2


def retried(operation: Callable[P, R]) -> Callable[P, R]:
    """``operation`` tried again after a lost connection, for ``RETRY_SECONDS`` at most.

    The library tries ten times whatever each attempt costs; with the database gone each one
    waited for a pooled connection, so a request hung for tens of seconds before failing.
    Within the time, stale connections of a pool (after a database restart) are each tried and
    dropped, so a database that is back is used at once.
    """

    @wraps(operation)
    def attempts(*args: P.args, **kwargs: P.kwargs) -> R:
        give_up_at = time.monotonic() + RETRY_SECONDS
        while True:
            try:
                return operation(*args, **kwargs)
            except (InterfaceError, OperationalError):
                if time.monotonic() + RETRY_PAUSE >= give_up_at:
                    raise
                time.sleep(RETRY_PAUSE)

    return attempts


def log_channel(schema: str) -> str:
    """The channel a schema's log NOTIFYs on each write (identifiers: at most 63 bytes)."""
    return f"actiontrail_{schema}"[:63]


def refuse_database_functions(datastore: PostgresDatastore) -> None:
    """Raise ``ConfigurationError`` if the library's database functions are enabled: its insert
    function writes no receipts and no links of the hash chain, and NOTIFYs the library's
    channel while the runners LISTEN on ``log_channel``, so that none would wake."""
    if datastore.enable_db_functions:
        raise ConfigurationError(
            "ACTIONTRAIL_POSTGRES_ENABLE_DB_FUNCTIONS (the eventsourcing library's "
            "POSTGRES_ENABLE_DB_FUNCTIONS) is on, and actiontrail cannot write through the "
            "library's insert function: it would record no command receipts and no links of the "
            "log's hash chain, and it notifies a channel actiontrail's projection runners do not "
            "listen on. Unset it (actiontrail inserts events itself, in one round trip)"
        )


#: The library's insert (pipelined), without its own ten retries.
_pipelined_insert = inspect.unwrap(PostgresApplicationRecorder.insert_events)


class PostgresRecorder(PostgresApplicationRecorder):
    """The library's recorder, with ``retried`` operations, NOTIFYing on ``log_channel``.

    Receipts of keyed commands are written in the events' transaction, before the table lock
    (in every transaction, so two with one key wait on the receipt, never on each other); the
    events' links after the insert, which answers the last link before it (``link_written``).
    """

    def __init__(
        self, datastore: PostgresDatastore, events_table_name: str = "stored_events"
    ) -> None:
        refuse_database_functions(datastore)
        super().__init__(datastore, events_table_name=events_table_name)
        # The library NOTIFYs in every write's transaction; on a channel of this schema's own,
        # so that runners of other schemas in the database are not woken.
        self.channel_name = log_channel(datastore.schema)
        self.receipts_table = f"{events_table_name.removesuffix('_events')}_command_receipts"
        self.write_timeout_statement = SQL("SET LOCAL statement_timeout = '{}ms'").format(
            int(WRITE_TIMEOUT_SECONDS * 1000)
        )
        receipts = {
            "schema": Identifier(datastore.schema),
            "table": Identifier(self.receipts_table),
        }
        self.sql_create_statements.append(
            SQL("CREATE TABLE IF NOT EXISTS {schema}.{table} (" + RECEIPTS_COLUMNS + ")").format(
                **receipts
            )
        )
        self.insert_receipt_statement = SQL(
            "INSERT INTO {schema}.{table} VALUES (%s, %s, %s, %s, %s)"
        ).format(**receipts)
        self.select_receipt_statement = SQL(
            "SELECT digest, aggregate_id, version FROM {schema}.{table} "
            "WHERE user_id = %s AND command_key = %s"
        ).format(**receipts)
        self.chain = PostgresChain(datastore, events_table_name)
        self.sql_create_statements.extend(self.chain.create_statements)
        self.insert_events_statement += self.chain.returning_head

    def create_table(self) -> None:
        """The library's, one process at a time per schema: processes that start together (a
        rebuild's workers, the server beside the CLI) would otherwise create the log's types and
        function at once, and PostgreSQL refuses one with 'tuple concurrently updated'.

        The library's statements, in its order (each type in a transaction of its own, as a type
        cannot be created "if not exists"; then the rest in one), but on the connection that
        holds the schema's creation lock: the library's ``create_table`` takes a connection of
        its own for each, and with a pool of one it waited for the lock's and failed."""
        with (
            self.datastore.get_connection() as conn,
            holding_creation_lock(conn, self.datastore.schema),
        ):
            for statement in self.sql_create_statements:
                if "CREATE TYPE" in statement.as_string():
                    with suppress(DuplicateObject), conn.transaction():
                        conn.execute(statement, prepare=False)
            with conn.transaction(), conn.cursor() as curs:
                self._create_table(curs)
        self.datastore.register_type_adapters()
        self.chain.heal()

    select_events = retried(inspect.unwrap(PostgresApplicationRecorder.select_events))
    select_notifications = retried(inspect.unwrap(PostgresApplicationRecorder.select_notifications))
    max_notification_id = retried(inspect.unwrap(PostgresApplicationRecorder.max_notification_id))

    @retried
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions: Sequence[int] | None
        if sum(len(event.state) for event in stored_events) <= PIPELINE_MAX_BYTES:
            positions = _pipelined_insert(self, stored_events, **kwargs)
        else:
            positions = self._insert_without_pipeline(stored_events, **kwargs)
        return positions

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's (the positions the insert answered), then the events' links."""
        rows = curs.fetchall()
        positions = [row["notification_id"] for row in rows]
        if len(positions) != len(stored_events):
            raise ProgrammingError(
                f"got {len(positions)} positions for {len(stored_events)} events"
            )
        self.chain.link_written(curs.connection, stored_events, positions, rows[0])
        return positions

    def _insert_without_pipeline(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert (lock, notify, insert returning positions), not pipelined.

        The rows are converted before the transaction starts and sent in slices of
        ``INSERT_SLICE``, so that neither is the connection idle in the transaction for long
        (the session's idle timeout) nor does one statement take long (the write timeout):
        a whole import is written this way, in one transaction.
        """
        rows = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        positions: list[int] = []
        head: dict[str, Any] = {}
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            self._lock_table(curs)
            self._notify_channel(curs)
            for start in range(0, len(rows), INSERT_SLICE):
                curs.execute(self.insert_events_statement, (rows[start : start + INSERT_SLICE],))
                inserted = curs.fetchall()
                head = head or inserted[0]
                positions.extend(row["notification_id"] for row in inserted)
            self.chain.link_written(conn, stored_events, positions, head)
        return positions

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        curs.execute(self.write_timeout_statement, prepare=True)
        receipt: Receipt | None = kwargs.get("receipt")
        if receipt is not None:
            curs.execute(self.insert_receipt_statement, _receipt_values(receipt), prepare=True)

    @retried
    def find_receipt(self, user_id: str, key: str) -> Receipt | None:
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(self.select_receipt_statement, (user_id, key), prepare=True)
            return _receipt(curs.fetchone(), user_id, key)

    def positions(self, originator_id: UUID) -> dict[int, int]:
        statement = SQL(
            "SELECT originator_version, notification_id FROM {schema}.{table} "
            "WHERE originator_id = %s"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (originator_id,))
            return {row["originator_version"]: row["notification_id"] for row in cursor.fetchall()}

    @retried
    def stored_among(self, originator_ids: Collection[UUID]) -> set[UUID]:
        statement = SQL(
            "SELECT DISTINCT originator_id FROM {schema}.{table} WHERE originator_id = ANY(%s)"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (list(originator_ids),))
            return {row["originator_id"] for row in cursor.fetchall()}

    def notifications_at(self, positions: Sequence[int]) -> list[Notification]:
        """The notifications at these positions (those that exist), in position order."""
        if not positions:
            return []
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id = ANY(%s) ORDER BY notification_id"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, [list(positions)])
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]
