"""Fast inserts of many rows: ``COPY`` on PostgreSQL, a plain ``executemany`` on SQLite.

SQLAlchemy's per-row parameter handling costs more than the database's own work when a rebuild
inserts millions of rows. Values are stored exactly as SQLAlchemy would store them (checked by
``tests/projections/test_bulk.py``), written on the connection's DBAPI connection inside its
current transaction. PostgreSQL adapts Python values itself; SQLite gets them converted here.
"""

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, Integer, String, Table, Uuid

from projections.tables import UtcDateTime

Processor = Callable[[Any], Any] | None
_processors: dict[tuple[str, str], list[Processor]] = {}


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


def _sqlite_processor(column_type: Any, conn: Connection) -> Processor:
    """A fast converter for the column types of ``projections.tables``; SQLAlchemy's otherwise."""
    if isinstance(column_type, UtcDateTime):
        return sqlite_moment
    if isinstance(column_type, Uuid):
        return lambda value: None if value is None else value.hex
    if isinstance(column_type, Date):
        return lambda value: None if value is None else value.isoformat()
    if isinstance(column_type, JSON):
        return lambda value: None if value is None else json.dumps(value)
    if isinstance(column_type, Integer | String | Boolean):
        return None
    return column_type.dialect_impl(conn.dialect).bind_processor(conn.dialect)  # type: ignore[no-any-return]


def _bind_processors(conn: Connection, table: Table) -> list[Processor]:
    key = (conn.dialect.name, table.name)
    if key not in _processors:
        _processors[key] = [_sqlite_processor(column.type, conn) for column in table.columns]
    return _processors[key]


def _schema(conn: Connection) -> str | None:
    translate: dict[str | None, str | None] = conn.get_execution_options().get(
        "schema_translate_map", {}
    )
    return translate.get(None)


def _row_values(
    names: list[str], processors: list[Processor]
) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's values in column order, converted where a column has a processor."""
    getter: Callable[[dict[str, Any]], Any] = (
        itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    )
    convert = [(i, process) for i, process in enumerate(processors) if process is not None]

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        result = list(getter(row))
        for i, process in convert:
            result[i] = process(result[i])
        return tuple(result)

    return values


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    names = [column.name for column in table.columns]
    if conn.dialect.name == "postgresql":
        _copy(conn, table, names, rows)
        return
    values = _row_values(names, _bind_processors(conn, table))
    insert_values(conn, table, [values(row) for row in rows])


def insert_values(conn: Connection, table: Table, values: Sequence[Sequence[Any]]) -> None:
    """Insert rows given as the database's values, in the table's column order.

    SQLite: the values ``bulk_insert`` would convert to (text moments, hex UUIDs, JSON text);
    PostgreSQL: Python values for ``COPY``, with JSON as text.
    """
    if not values:
        return
    names = [column.name for column in table.columns]
    if conn.dialect.name == "postgresql":
        with _copier(conn, table, names) as copy:
            for row in values:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in names)
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({placeholders})', values
    )


def close_current(
    conn: Connection,
    table: Table,
    key_columns: Sequence[str],
    closes: Sequence[tuple[Sequence[Any], datetime, int]],
) -> None:
    """Close the current rows (``recorded_to IS NULL``) of each key, as ``(key, at, position)``.

    Sets ``recorded_to`` and ``to_position``, with values converted as ``bulk_insert`` does.
    """
    if not closes:
        return
    columns = [table.c[name] for name in ("recorded_to", "to_position", *key_columns)]
    if conn.dialect.name == "postgresql":
        processors: list[Processor] = [None] * len(columns)
        mark = "%s"
    else:
        processors = [_sqlite_processor(column.type, conn) for column in columns]
        mark = "?"
    quote = conn.dialect.identifier_preparer.quote
    where = " AND ".join(f"{quote(name)} = {mark}" for name in key_columns)
    statement = (
        f"UPDATE {_qualified(conn, table)} SET recorded_to = {mark}, to_position = {mark} "
        f"WHERE {where} AND recorded_to IS NULL"
    )
    convert = [(i, process) for i, process in enumerate(processors) if process is not None]
    rows = []
    for key, at, position in closes:
        values = [at, position, *key]
        for i, process in convert:
            values[i] = process(values[i])
        rows.append(tuple(values))
    conn.exec_driver_sql(statement, rows)


def empty(conn: Connection, tables: Sequence[Table]) -> None:
    """Delete every row of ``tables`` in the connection's transaction.

    PostgreSQL: one ``TRUNCATE``, which frees the space at once (a ``DELETE`` of millions of rows
    leaves them dead until vacuumed) and is as transactional as a ``DELETE``. SQLite: ``DELETE``
    without a condition, which SQLite itself truncates.
    """
    if not tables:
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"TRUNCATE {', '.join(_qualified(conn, t) for t in tables)}")
        return
    for table in tables:
        conn.execute(table.delete())


def _qualified(conn: Connection, table: Table) -> str:
    quote = conn.dialect.identifier_preparer.quote
    schema = _schema(conn)
    return f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)


@contextmanager
def _copier(conn: Connection, table: Table, names: list[str]) -> Iterator[Any]:
    quote = conn.dialect.identifier_preparer.quote
    statement = f"COPY {_qualified(conn, table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        yield copy


def _copy(conn: Connection, table: Table, names: list[str], rows: Sequence[dict[str, Any]]) -> None:
    values = _row_values(
        names, [json.dumps if isinstance(c.type, JSON) else None for c in table.columns]
    )
    with _copier(conn, table, names) as copy:
        for row in rows:
            copy.write_row(values(row))
