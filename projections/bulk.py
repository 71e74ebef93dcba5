"""Fast inserts of many rows: ``COPY`` on PostgreSQL, a plain ``executemany`` on SQLite.

SQLAlchemy's per-row parameter handling costs more than the database's own work when a rebuild
inserts millions of rows. Values are converted by the columns' own bind processors (so they are
stored exactly as SQLAlchemy would store them), and written on the connection's DBAPI connection,
inside its current transaction.
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table

Processor = Callable[[Any], Any] | None
_processors: dict[tuple[str, str], list[Processor]] = {}


def _bind_processors(conn: Connection, table: Table) -> list[Processor]:
    key = (conn.dialect.name, table.name)
    if key not in _processors:
        _processors[key] = [
            column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            for column in table.columns
        ]
    return _processors[key]


def _schema(conn: Connection) -> str | None:
    translate: dict[str | None, str | None] = conn.get_execution_options().get(
        "schema_translate_map", {}
    )
    return translate.get(None)


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    names = [column.name for column in table.columns]
    if conn.dialect.name == "postgresql":
        _copy(conn, table, names, rows)
        return
    processors = _bind_processors(conn, table)
    values = [
        tuple(
            row[name] if process is None else process(row[name])
            for name, process in zip(names, processors, strict=True)
        )
        for row in rows
    ]
    placeholders = ", ".join("?" for _ in names)
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({placeholders})', values
    )


def _copy(conn: Connection, table: Table, names: list[str], rows: Sequence[dict[str, Any]]) -> None:
    quote = conn.dialect.identifier_preparer.quote
    schema = _schema(conn)
    target = f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)
    statement = f"COPY {target} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in json_columns else row[n] for n in names])
