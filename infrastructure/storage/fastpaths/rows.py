"""What the fast writers share: a row's values converted for the driver in one call, and
closings of bitemporal rows by one driver-level ``executemany``."""

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from sqlalchemy import Connection, Table

from projections.writing import Closing, CoreWriter, Row

Encode = Callable[[Any], Any]
RowValues = Callable[[Row], tuple[Any, ...]]


def row_values(names: Sequence[str], encoders: Sequence[Encode | None]) -> RowValues:
    """``row`` to the tuple of its values under ``names``, each through its encoder (None: as
    it is).

    Compiled once per table into one expression, as ``dataclasses`` compiles ``__init__``: a
    rebuild converts millions of rows, and a loop over the columns costs more than the values'
    own conversions. ``names`` are the table's column names (code, not input).
    """
    namespace = {f"encode_{i}": encode for i, encode in enumerate(encoders) if encode is not None}
    items = [
        f"row[{name!r}]" if encode is None else f"encode_{i}(row[{name!r}])"
        for i, (name, encode) in enumerate(zip(names, encoders, strict=True))
    ]
    values: RowValues = eval(f"lambda row: ({', '.join(items)},)", namespace)
    return values


def qualified(conn: Connection, table: Table) -> str:
    """The table's quoted name, in the schema the engine maps unqualified tables to (if any)."""
    quote = conn.dialect.identifier_preparer.quote
    schema = conn.get_execution_options().get("schema_translate_map", {}).get(None)
    return f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)


class DriverWriter(CoreWriter):
    """Closes rows with one ``executemany`` on the driver; a subclass gives the driver's
    parameter ``mark`` and, where the driver does not take the values as they are, their
    converters (``encoders``)."""

    mark: ClassVar[str]

    def encoders(
        self, conn: Connection, table: Table, key_columns: Sequence[str]
    ) -> tuple[Encode, list[Encode | None]] | None:
        """A closing's moment's converter and each key column's (None: as it is); None when
        the driver takes every value as it is."""
        return None

    def close(
        self,
        conn: Connection,
        table: Table,
        key_columns: Sequence[str],
        closings: Sequence[Closing],
    ) -> None:
        if not closings:
            return
        quote, mark = conn.dialect.identifier_preparer.quote, self.mark
        where = " AND ".join(f"{quote(name)} = {mark}" for name in key_columns)
        statement = (
            f"UPDATE {qualified(conn, table)} SET recorded_to = {mark}, to_position = {mark} "
            f"WHERE {where} AND recorded_to IS NULL"
        )
        encoders = self.encoders(conn, table, key_columns)
        if encoders is None:
            values = [(c.at, c.position, *c.key) for c in closings]
        else:
            at, key = encoders
            values = [
                (
                    at(c.at),
                    c.position,
                    *(v if e is None else e(v) for e, v in zip(key, c.key, strict=True)),
                )
                for c in closings
            ]
        conn.exec_driver_sql(statement, values)
