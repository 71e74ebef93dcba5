"""The library's application recorders, with a leaner notification read and a position look-up.

On PostgreSQL, events are inserted in a plain transaction rather than the library's pipeline
mode, in which a large insert (a whole import, or one very large command) waits for ever:
psycopg stops sending while PostgreSQL waits to read the rest (psycopg issue 685).

``select_notifications`` returns exactly what the library's does (the same ``Notification``
objects; ``tests/core/test_recorders.py`` compares them) for a fraction of the Python work per
row: it selects only the columns a notification needs, as plain tuples instead of named rows,
and fills each frozen notification directly rather than through its dataclass ``__init__``.
A rebuild reads every event of the log through it.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID, SafeUUID

from eventsourcing.persistence import InterfaceError, Notification, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

#: Events per INSERT statement when many are written in one transaction (PostgreSQL).
INSERT_SLICE = 2000

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


class SQLiteRecorder(SQLiteApplicationRecorder):
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


class PostgresRecorder(PostgresApplicationRecorder):
    """``select_notifications`` leaves ``stop`` out of the SQL and drops later rows itself.

    With ``stop`` in the query, PostgreSQL may plan a bitmap scan of the whole range and a sort
    before the limit (it did so, 70 times slower, on a freshly filled log whose statistics were
    stale); ordered by position and limited, the index scan is the only sensible plan, and the
    rows up to ``stop`` are exactly the same.
    """

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert (lock, notify, insert returning positions), not pipelined.

        The rows are converted before the transaction starts and sent in slices, so the
        connection is never idle in the transaction for long (the library's session closes a
        connection idle in a transaction for 5 s).
        """
        if self.datastore.enable_db_functions or not stored_events:
            ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return ids
        rows = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        positions: list[int] = []
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_events(cursor, stored_events, **kwargs)
            self._lock_table(cursor)
            self._notify_channel(cursor)
            for start in range(0, len(rows), INSERT_SLICE):
                cursor.execute(self.insert_events_statement, (rows[start : start + INSERT_SLICE],))
                positions.extend(row["notification_id"] for row in cursor.fetchall())
        return positions

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
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
