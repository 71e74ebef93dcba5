"""The library's application recorders, with a leaner notification read and position look-ups.

``select_notifications`` returns exactly what the library's does (the same ``Notification``
objects; ``tests/core/test_recorders.py`` compares them) for a fraction of the Python work per
row: it selects only the columns a notification needs, as plain tuples instead of named rows,
and fills each frozen notification directly rather than through its dataclass ``__init__``.
A rebuild reads every event of the log through it.
"""

import inspect
import time
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, ParamSpec, TypeVar
from uuid import UUID, SafeUUID

from eventsourcing.persistence import InterfaceError, Notification, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier

from application.receipts import Receipt
from infrastructure.database_faults import RETRY_SECONDS

_new = object.__new__
_set = object.__setattr__
_UNKNOWN = SafeUUID.unknown


def notification(
    position: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> Notification:
    """A ``Notification`` equal to ``Notification(id=position, ...)``, built faster."""
    made: Notification = _new(Notification)
    _set(
        made,
        "__dict__",
        {
            "originator_id": originator_id,
            "originator_version": version,
            "topic": topic,
            "state": state,
            "id": position,
        },
    )
    return made


def uuid_from_hex(text: str) -> UUID:
    """``UUID(text)`` for the 32 hex digits the SQLite recorder stores."""
    if len(text) != 32:
        return UUID(text)
    made: UUID = _new(UUID)
    _set(made, "int", int(text, 16))
    _set(made, "is_safe", _UNKNOWN)
    return made


def _where(
    start: int | None, stop: int | None, topics: Sequence[str], inclusive_of_start: bool
) -> tuple[list[str], list[Any]]:
    """The conditions of a notification query (``{id}``: the position column) and their values."""
    conditions: list[str] = []
    params: list[Any] = []
    if start is not None:
        conditions.append("{id}>=%s" if inclusive_of_start else "{id}>%s")
        params.append(start)
    if stop is not None:
        conditions.append("{id}<=%s")
        params.append(stop)
    if topics:
        conditions.append("topic IN ({})".format(", ".join("%s" for _ in topics)))
        params.extend(topics)
    return conditions, params


#: Receipts of keyed commands (see ``application.receipts``), beside the events table.
RECEIPTS_COLUMNS = (
    "user_id TEXT NOT NULL, command_key TEXT NOT NULL, digest TEXT NOT NULL, "
    "aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (user_id, command_key)"
)


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

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.receipts_table} ({RECEIPTS_COLUMNS})",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        receipt: Receipt | None = kwargs.get("receipt")
        if receipt is not None:
            c.execute(
                f"INSERT INTO {self.receipts_table} VALUES (?,?,?,?,?)", _receipt_values(receipt)
            )
        return positions

    def find_receipt(self, user_id: str, key: str) -> Receipt | None:
        statement = (
            f"SELECT digest, aggregate_id, version FROM {self.receipts_table} "
            "WHERE user_id = ? AND command_key = ?"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (user_id, key))
            return _receipt(cursor.fetchone(), user_id, key)

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        conditions, params = _where(start, stop, topics, inclusive_of_start)
        where = " AND ".join(conditions).replace("{id}", "rowid").replace("%s", "?")
        statement = (
            f"SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} {'WHERE ' + where if where else ''} "
            "ORDER BY rowid LIMIT ?"
        )
        with self.datastore.transaction(commit=False) as cursor:
            raw: Any = cursor.sqlite_cursor
            raw.row_factory = None
            raw.execute(statement, [*params, limit])
            rows = raw.fetchall()
        if self.datastore.originator_id_type != "uuid":
            return [notification(*row) for row in rows]
        ids: dict[str, UUID] = {}
        made = []
        for position, originator_id, version, topic, state in rows:
            uuid = ids.get(originator_id)
            if uuid is None:
                uuid = ids[originator_id] = uuid_from_hex(originator_id)
            made.append(notification(position, uuid, version, topic, state))
        return made

    def positions(self, originator_id: UUID) -> dict[int, int]:
        statement = (
            f"SELECT originator_version, rowid FROM {self.events_table_name} "
            "WHERE originator_id = ?"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (originator_id.hex,))
            return {row[0]: row[1] for row in cursor.fetchall()}

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
            rows = [tuple(row) for row in cursor.fetchall()]
        convert = uuid_from_hex if self.datastore.originator_id_type == "uuid" else str
        return [notification(p, convert(i), v, topic, state) for p, i, v, topic, state in rows]


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


#: The library's insert (pipelined), without its own ten retries.
_pipelined_insert = inspect.unwrap(PostgresApplicationRecorder.insert_events)


class PostgresRecorder(PostgresApplicationRecorder):
    """The library's recorder, with ``retried`` operations and a leaner notification read.

    ``select_notifications`` leaves ``stop`` out of the SQL and drops later rows itself.
    With ``stop`` in the query, PostgreSQL may plan a bitmap scan of the whole range and a sort
    before the limit (it did so, 70 times slower, on a freshly filled log whose statistics were
    stale); ordered by position and limited, the index scan is the only sensible plan, and the
    rows up to ``stop`` are exactly the same.

    Receipts of keyed commands are written in the events' transaction, before the table lock
    (in every transaction, so two with one key wait on the receipt, never on each other).
    """

    def __init__(
        self, datastore: PostgresDatastore, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
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

    select_events = retried(inspect.unwrap(PostgresApplicationRecorder.select_events))
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
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            self._lock_table(curs)
            self._notify_channel(curs)
            for start in range(0, len(rows), INSERT_SLICE):
                curs.execute(self.insert_events_statement, (rows[start : start + INSERT_SLICE],))
                positions.extend(row["notification_id"] for row in curs.fetchall())
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

    @retried
    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        conditions, params = _where(start, None, topics, inclusive_of_start)
        statement: Composed = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table}"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        if conditions:
            where = " AND ".join(conditions).replace("{id}", "notification_id")
            statement += SQL(" WHERE " + where)
        statement += SQL(" ORDER BY notification_id LIMIT %s")
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(statement, [*params, limit], prepare=True)
            rows = curs.fetchall()
        if stop is not None and rows and rows[-1][0] > stop:
            rows = [row for row in rows if row[0] <= stop]
        return [
            notification(position, originator_id, version, topic, bytes(state))
            for position, originator_id, version, topic, state in rows
        ]

    def positions(self, originator_id: UUID) -> dict[int, int]:
        statement = SQL(
            "SELECT originator_version, notification_id FROM {schema}.{table} "
            "WHERE originator_id = %s"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (originator_id,))
            return {row["originator_version"]: row["notification_id"] for row in cursor.fetchall()}

    def notifications_at(self, positions: Sequence[int]) -> list[Notification]:
        """The notifications at these positions (those that exist), in position order."""
        if not positions:
            return []
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id = ANY(%s) ORDER BY notification_id"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(statement, [list(positions)])
            rows = curs.fetchall()
        return [
            notification(position, originator_id, version, topic, bytes(state))
            for position, originator_id, version, topic, state in rows
        ]
