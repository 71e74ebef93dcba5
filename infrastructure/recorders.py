"""The library's application recorders, plus a look-up of one aggregate's log positions."""

from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier


class SQLiteRecorder(SQLiteApplicationRecorder):
    def positions(self, originator_id: UUID) -> dict[int, int]:
        statement = (
            f"SELECT originator_version, rowid FROM {self.events_table_name} "
            "WHERE originator_id = ?"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (originator_id.hex,))
            return {row[0]: row[1] for row in cursor.fetchall()}


class PostgresRecorder(PostgresApplicationRecorder):
    def positions(self, originator_id: UUID) -> dict[int, int]:
        statement = SQL(
            "SELECT originator_version, notification_id FROM {schema}.{table} "
            "WHERE originator_id = %s"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (originator_id,))
            return {row["originator_version"]: row["notification_id"] for row in cursor.fetchall()}
