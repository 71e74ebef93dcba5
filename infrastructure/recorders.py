"""The library's application recorders, with a leaner notification read and a position look-up.

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

from eventsourcing.persistence import InterfaceError, Notification, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

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


class PostgresRecorder(PostgresApplicationRecorder):
    """The library's recorder, with ``retried`` operations and a leaner notification read.

    ``select_notifications`` leaves ``stop`` out of the SQL and drops later rows itself.
    With ``stop`` in the query, PostgreSQL may plan a bitmap scan of the whole range and a sort
    before the limit (it did so, 70 times slower, on a freshly filled log whose statistics were
    stale); ordered by position and limited, the index scan is the only sensible plan, and the
    rows up to ``stop`` are exactly the same.
    """

    insert_events = retried(inspect.unwrap(PostgresApplicationRecorder.insert_events))
    select_events = retried(inspect.unwrap(PostgresApplicationRecorder.select_events))
    max_notification_id = retried(inspect.unwrap(PostgresApplicationRecorder.max_notification_id))

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
