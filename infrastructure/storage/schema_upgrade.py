"""Columns a newer actiontrail added to a table that an older one created.

``metadata.create_all`` makes missing tables only; here each missing nullable column is added
with ``ALTER TABLE ... ADD COLUMN`` (both stores), and missing indexes are made. Run under the
schema's creation lock (``database.creating_tables``), so that workers starting together add
each column once.
"""

from sqlalchemy import Connection, Engine, Table, inspect
from sqlalchemy.schema import CreateIndex


def add_missing_columns(engine: Engine, table: Table) -> list[str]:
    """Add ``table``'s columns that the stored table lacks; answers their names."""
    with engine.begin() as connection:
        schema = _schema(connection)
        stored = {c["name"] for c in inspect(connection).get_columns(table.name, schema=schema)}
        missing = [column for column in table.columns if column.name not in stored]
        preparer = connection.dialect.identifier_preparer
        qualified = preparer.quote(table.name)
        if schema is not None:
            qualified = f"{preparer.quote_schema(schema)}.{qualified}"
        for column in missing:
            kind = column.type.compile(dialect=connection.dialect)
            connection.exec_driver_sql(
                f"ALTER TABLE {qualified} ADD COLUMN {preparer.quote(column.name)} {kind}"
            )
        indexes = {i["name"] for i in inspect(connection).get_indexes(table.name, schema=schema)}
        for index in table.indexes:
            if index.name not in indexes:
                connection.execute(CreateIndex(index))
    return [column.name for column in missing]


def _schema(connection: Connection) -> str | None:
    translate = connection.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(None)
    return str(schema) if schema else None
