"""The fast paths on SQLite: a lean notification read, and rows written by ``executemany``.

``SQLiteBulkWriter`` converts values itself, as SQLAlchemy's SQLite types would store them
(``tests/projections/test_bulk.py`` checks every column of every table), and hands them to the
driver in one ``executemany``: SQLAlchemy's per-row parameter handling costs more than SQLite's
own work when a rebuild inserts millions of rows.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from operator import attrgetter, methodcaller
from typing import Any
from uuid import UUID, SafeUUID

from eventsourcing.persistence import Notification
from sqlalchemy import JSON, Boolean, Column, Connection, Date, Integer, String, Table, Uuid

from infrastructure.storage.fastpaths.notifications import LeanNotifications, notification
from infrastructure.storage.fastpaths.rows import (
    DriverWriter,
    Encode,
    RowValues,
    qualified,
    row_values,
)
from infrastructure.storage.recorders import SQLiteRecorder
from projections.tables import UtcDateTime
from projections.writing import Row

_new = object.__new__
_set = object.__setattr__
_UNKNOWN = SafeUUID.unknown


def uuid_from_hex(text: str) -> UUID:
    """``UUID(text)`` for the 32 hex digits the SQLite recorder stores."""
    if len(text) != 32:
        return UUID(text)
    made: UUID = _new(UUID)
    _set(made, "int", int(text, 16))
    _set(made, "is_safe", _UNKNOWN)
    return made


class SQLiteLeanRecorder(LeanNotifications, SQLiteRecorder):
    """``SQLiteRecorder`` whose ``select_notifications`` is lean (``fastpaths.notifications``)."""

    def lean_select(
        self, where: list[str], params: list[Any], limit: int, stop: int | None
    ) -> Sequence[Notification]:
        condition = " AND ".join(where).replace("{id}", "rowid").replace("%s", "?")
        statement = (
            f"SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} {'WHERE ' + condition if condition else ''} "
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


def sqlite_moment(value: datetime | None) -> str | None:
    """As SQLAlchemy stores a UTC moment in SQLite: naive UTC, microseconds always written."""
    if value is None:
        return None
    zone = value.tzinfo
    if zone is None:
        return value.isoformat(" ", "microseconds")
    if zone is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def _encoder(column: Column[Any], conn: Connection) -> Encode | None:
    """A fast converter for the column types of ``projections.tables`` (None: the driver takes
    the value as it is); SQLAlchemy's own for any other type."""
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return sqlite_moment
    if isinstance(kind, Uuid):
        return _nullable(attrgetter("hex")) if column.nullable else attrgetter("hex")
    if isinstance(kind, Date):
        iso = methodcaller("isoformat")
        return _nullable(iso) if column.nullable else iso
    if isinstance(kind, JSON):
        return json.dumps
    if isinstance(kind, Integer | String | Boolean):
        return None
    return kind.dialect_impl(conn.dialect).bind_processor(conn.dialect)


def _nullable(encode: Encode) -> Encode:
    return lambda value: None if value is None else encode(value)


class SQLiteBulkWriter(DriverWriter):
    """Inserts and closes rows with one ``executemany`` of values converted here."""

    mark = "?"

    def __init__(self) -> None:
        self._inserts: dict[str, tuple[str, RowValues]] = {}

    def insert(self, conn: Connection, table: Table, rows: Sequence[Row]) -> None:
        if not rows:
            return
        prepared = self._inserts.get(table.name)
        if prepared is None:
            names = [column.name for column in table.columns]
            quote = conn.dialect.identifier_preparer.quote
            statement = (
                f"INSERT INTO {qualified(conn, table)} ({', '.join(quote(n) for n in names)}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            encoders = [_encoder(column, conn) for column in table.columns]
            prepared = self._inserts[table.name] = (statement, row_values(names, encoders))
        statement, values = prepared
        conn.exec_driver_sql(statement, [values(row) for row in rows])

    def encoders(
        self, conn: Connection, table: Table, key_columns: Sequence[str]
    ) -> tuple[Encode, list[Encode | None]]:
        return sqlite_moment, [_encoder(table.c[name], conn) for name in key_columns]
