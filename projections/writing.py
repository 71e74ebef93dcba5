"""How projections write their rows: the ``RowWriter`` interface and its plain implementation.

Projections decide what to record (rows keyed by the table's column names); a writer decides how
to put them on disk. ``CoreWriter`` does it with SQLAlchemy Core on any dialect. Faster writers,
one per dialect, live in ``infrastructure.storage.fastpaths`` and store exactly the same values.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Table, and_, bindparam, insert, update

Row = dict[str, Any]
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Closing:
    """Close the current row(s) of ``key`` (``recorded_to IS NULL``): valid until ``at``,
    closed by the event at ``position``."""

    key: Key
    at: datetime
    position: int


#: The names of the columns of a closing's ``key``, and the closings of one table.
Keys = Sequence[str]
Closings = Sequence[Closing]


class RowWriter(Protocol):
    """Writes rows inside the caller's transaction (``conn``)."""

    def insert(self, conn: Connection, table: Table, rows: Sequence[Row]) -> None:
        """Insert ``rows``, each keyed by all of the table's column names."""

    def close(self, conn: Connection, table: Table, keys: Keys, closings: Closings) -> None:
        """Set ``recorded_to`` and ``to_position`` of each key's current rows of a bitemporal
        table (``keys``: the columns of a closing's ``key``)."""

    def empty(self, conn: Connection, tables: Sequence[Table]) -> None:
        """Delete every row of ``tables``."""


class CoreWriter:
    """The plain writer: SQLAlchemy Core statements, values bound by the column types."""

    def insert(self, conn: Connection, table: Table, rows: Sequence[Row]) -> None:
        if rows:
            conn.execute(insert(table), list(rows))

    def close(self, conn: Connection, table: Table, keys: Keys, closings: Closings) -> None:
        if not closings:
            return
        statement = (
            update(table)
            .where(
                and_(*(table.c[name] == bindparam(f"key_{name}") for name in keys)),
                table.c.recorded_to.is_(None),
            )
            .values(recorded_to=bindparam("closed_at"), to_position=bindparam("closed_by"))
        )
        conn.execute(
            statement,
            [
                {
                    **{f"key_{name}": value for name, value in zip(keys, c.key, strict=True)},
                    "closed_at": c.at,
                    "closed_by": c.position,
                }
                for c in closings
            ],
        )

    def empty(self, conn: Connection, tables: Sequence[Table]) -> None:
        for table in tables:
            conn.execute(table.delete())


#: The writer of the plain path (and of runners built without one).
CORE_WRITER = CoreWriter()
