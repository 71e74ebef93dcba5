"""Every row writer stores every value exactly as SQLAlchemy's own statements do."""

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    delete,
    insert,
    update,
)

from infrastructure.bootstrap import ensure_schema
from infrastructure.config import Settings
from infrastructure.storage.database import create_read_engine
from infrastructure.storage.fastpaths.postgres import PostgresCopyWriter
from infrastructure.storage.fastpaths.sqlite import SQLiteBulkWriter
from projections.tables import UtcDateTime, audit_log, meeting_participants, metadata
from projections.writing import CORE_WRITER, Closing, RowWriter

PARIS = timezone(timedelta(hours=2))


@pytest.fixture(params=["plain", "fast"])
def writer(request: pytest.FixtureRequest, settings: Settings) -> RowWriter:
    """The plain writer, and the fast one of the store's dialect."""
    if request.param == "plain":
        return CORE_WRITER
    return SQLiteBulkWriter() if settings.store == "sqlite" else PostgresCopyWriter()


def sample(table: Table, variant: int) -> dict[str, Any]:
    """A row with a value of each column's type (microseconds, offsets, NULLs, booleans)."""
    values: dict[str, Any] = {}
    for n, column in enumerate(table.columns):
        kind = column.type
        if variant and column.nullable and not column.primary_key and n % 2:
            values[column.name] = None
        elif isinstance(kind, UtcDateTime):
            values[column.name] = (
                datetime(2023, 6, 30, 23, 30, 0, 0, tzinfo=UTC)
                if variant
                else datetime(2023, 7, 1, 1, 30, 5, 120, tzinfo=PARIS)
            )
        elif isinstance(kind, Uuid):
            values[column.name] = uuid.UUID(int=n + 1000 * variant)
        elif isinstance(kind, Date):
            values[column.name] = date(2023, 12, 25 + variant)
        elif isinstance(kind, JSON):
            values[column.name] = {"a": [1, "é", None], "b": {"c": True}}
        elif isinstance(kind, Boolean):
            values[column.name] = bool(variant)
        elif isinstance(kind, Integer | BigInteger):
            values[column.name] = n + 10 * variant
        elif isinstance(kind, String | Text):
            values[column.name] = f"{column.name} é{variant}"
        else:
            raise AssertionError(f"no sample for {column.name}: {kind}")
    return values


def stored(conn: Any, table: Table) -> list[tuple[Any, ...]]:
    quote = conn.dialect.identifier_preparer.quote
    schema = conn.get_execution_options().get("schema_translate_map", {}).get(None)
    name = f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)
    return sorted(tuple(row) for row in conn.exec_driver_sql(f"SELECT * FROM {name}"))


def test_writer_and_sqlalchemy_inserts_store_the_same(
    settings: Settings, writer: RowWriter
) -> None:
    ensure_schema(settings)
    engine = create_read_engine(settings)
    metadata.create_all(engine)
    try:
        for table in metadata.sorted_tables:
            rows = [sample(table, 0), sample(table, 1)]
            if table is audit_log:
                rows.append({**sample(table, 2), "data": None})  # sealed: JSON null
            with engine.begin() as conn:
                conn.execute(insert(table), rows)
                by_sqlalchemy = stored(conn, table)
                conn.execute(delete(table))
                writer.insert(conn, table, rows)
                assert stored(conn, table) == by_sqlalchemy, table.name
                conn.execute(delete(table))
    finally:
        engine.dispose()


def test_closing_current_rows_stores_what_sqlalchemy_stores(
    settings: Settings, writer: RowWriter
) -> None:
    ensure_schema(settings)
    engine = create_read_engine(settings)
    metadata.create_all(engine)
    table = meeting_participants
    keys = [(uuid.UUID(int=n), f"agency {n}", "é" if n else "") for n in range(3)]
    at = datetime(2023, 7, 1, 1, 30, 5, 120, tzinfo=PARIS)
    opened = [
        {
            **dict(zip(("meeting_id", "agency", "role"), key, strict=True)),
            "invited": True,
            "attended": None,
            "recorded_from": datetime(2023, 6, 1, tzinfo=UTC),
            "recorded_to": None,
            "from_position": 1,
            "to_position": None,
        }
        for key in keys
    ]
    closed_row = {**opened[0], "recorded_to": datetime(2023, 6, 2, tzinfo=UTC), "to_position": 2}
    try:
        with engine.begin() as conn:
            conn.execute(insert(table), [*opened, closed_row])
            for key in keys[:2]:
                conn.execute(
                    update(table)
                    .where(
                        table.c.meeting_id == key[0],
                        table.c.agency == key[1],
                        table.c.role == key[2],
                        table.c.recorded_to.is_(None),
                    )
                    .values(recorded_to=at, to_position=9)
                )
            by_sqlalchemy = stored(conn, table)
            conn.execute(delete(table))
            conn.execute(insert(table), [*opened, closed_row])
            writer.close(
                conn, table, ("meeting_id", "agency", "role"), [Closing(k, at, 9) for k in keys[:2]]
            )
            assert stored(conn, table) == by_sqlalchemy
            assert sum(row[-1] == 9 for row in by_sqlalchemy) == 2
            conn.execute(delete(table))
    finally:
        engine.dispose()


def test_emptying_deletes_every_row(settings: Settings, writer: RowWriter) -> None:
    ensure_schema(settings)
    engine = create_read_engine(settings)
    metadata.create_all(engine)
    tables = [audit_log, meeting_participants]
    try:
        with engine.begin() as conn:
            for table in tables:
                conn.execute(insert(table), [sample(table, 0)])
            writer.empty(conn, tables)
            assert [stored(conn, table) for table in tables] == [[], []]
    finally:
        engine.dispose()
