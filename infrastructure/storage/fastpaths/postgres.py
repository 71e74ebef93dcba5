"""The fast paths on PostgreSQL: a lean notification read, and rows written by ``COPY``.

``PostgresCopyWriter`` hands Python values to psycopg, which adapts them as SQLAlchemy would
have it bind them (``tests/projections/test_bulk.py`` checks every column of every table); only
JSON is encoded here. It empties tables with one ``TRUNCATE``, which frees the space at once
(a ``DELETE`` of millions of rows leaves them dead until vacuumed) and is as transactional.
"""

import json
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Notification
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier
from sqlalchemy import JSON, Connection, Table

from infrastructure.storage.fastpaths.notifications import LeanNotifications, notification
from infrastructure.storage.fastpaths.rows import DriverWriter, RowValues, qualified, row_values
from infrastructure.storage.recorders import PostgresRecorder, retried
from projections.writing import Row


class PostgresLeanRecorder(LeanNotifications, PostgresRecorder):
    """``PostgresRecorder`` whose ``select_notifications`` is lean (``fastpaths.notifications``)
    and leaves ``stop`` out of the SQL, dropping later rows itself.

    With ``stop`` in the query, PostgreSQL may plan a bitmap scan of the whole range and a sort
    before the limit (it did so, 70 times slower, on a freshly filled log whose statistics were
    stale); ordered by position and limited, the index scan is the only sensible plan, and the
    rows up to ``stop`` are exactly the same.
    """

    stop_in_query = False

    @retried
    def lean_select(
        self, where: list[str], params: list[Any], limit: int, stop: int | None
    ) -> Sequence[Notification]:
        statement: Composed = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table}"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        if where:
            statement += SQL(" WHERE " + " AND ".join(where).replace("{id}", "notification_id"))
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


def _copy_values(table: Table) -> RowValues:
    """A row's values in column order, JSON encoded (psycopg adapts the others)."""
    return row_values(
        [column.name for column in table.columns],
        [json.dumps if isinstance(column.type, JSON) else None for column in table.columns],
    )


class PostgresCopyWriter(DriverWriter):
    """Inserts rows with ``COPY``, closes them with one ``executemany``, empties by ``TRUNCATE``."""

    mark = "%s"

    def __init__(self) -> None:
        self._values: dict[str, RowValues] = {}

    def insert(self, conn: Connection, table: Table, rows: Sequence[Row]) -> None:
        if not rows:
            return
        values = self._values.get(table.name)
        if values is None:
            values = self._values[table.name] = _copy_values(table)
        quote = conn.dialect.identifier_preparer.quote
        names = ", ".join(quote(column.name) for column in table.columns)
        statement = f"COPY {qualified(conn, table)} ({names}) FROM STDIN"
        raw: Any = conn.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(values(row))

    def empty(self, conn: Connection, tables: Sequence[Table]) -> None:
        if tables:
            conn.exec_driver_sql(f"TRUNCATE {', '.join(qualified(conn, t) for t in tables)}")
