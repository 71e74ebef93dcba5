"""The chain on PostgreSQL: its tables beside the log, its links written in the recorder's own
transaction, and what verification and checkpoints read and write.

Writers are serialised by the recorder's ``LOCK TABLE ... IN EXCLUSIVE MODE``: a write's
``INSERT`` of events, made after the lock, also answers the last event and link before it
(``returning_head``), and its links are written once the insert has given the events their
positions (``PostgresChain.link_written``), before the commit: one statement more, the links'
``INSERT``. Checkpoints are serialised by a transaction-level advisory lock of the schema's.
"""

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresDatastore
from psycopg import Connection, Cursor, pq
from psycopg.rows import TupleRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier

from infrastructure.integrity.links import START, Checkpoint, Link, chained, new_log
from infrastructure.integrity.store import ChainStore, MakeCheckpoint, WalkRow

#: Rows a statement reads or writes when many events are chained (each statement is bounded
#: by the recorder's write timeout).
SLICE = 5000
#: Up to this many links (a command's) are written a row a statement, which psycopg adapts
#: faster than arrays; more by a binary ``COPY`` (a bulk write, not pipelined: four times
#: faster than arrays) or, in a pipeline (where ``COPY`` cannot run), in arrays (``unnest``),
#: ``SLICE`` at a time.
FEW = 16


def _uuid(originator_id: UUID | str) -> UUID:
    return originator_id if isinstance(originator_id, UUID) else UUID(originator_id)


class PostgresChain(ChainStore):
    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        super().__init__()
        self.datastore = datastore
        prefix = events_table.removesuffix("_events")
        schema = Identifier(datastore.schema)
        names = {
            "schema": schema,
            "events": Identifier(events_table),
            "chain": Identifier(f"{prefix}_event_chain"),
            "log": Identifier(f"{prefix}_integrity_log"),
            "checkpoints": Identifier(f"{prefix}_checkpoints"),
            "keys": Identifier(f"{prefix}_integrity_keys"),
        }
        self.chain_table = f"{prefix}_event_chain"
        self.checkpoints_table = f"{prefix}_checkpoints"
        self.keys_table = f"{prefix}_integrity_keys"
        self.log_table = f"{prefix}_integrity_log"

        def sql(text: str) -> Composed:
            return SQL(text).format(**names)

        self.create_statements = [
            sql(
                "CREATE TABLE IF NOT EXISTS {schema}.{chain} (position bigint PRIMARY KEY, "
                "previous bigint NOT NULL, originator_id uuid NOT NULL, "
                "originator_version bigint NOT NULL, hash bytea NOT NULL)"
            ),
            sql(
                "CREATE TABLE IF NOT EXISTS {schema}.{log} (one boolean PRIMARY KEY DEFAULT true "
                "CHECK (one), log_id text NOT NULL, started_at text NOT NULL, "
                "backfilled_to bigint NOT NULL)"
            ),
            sql(
                "CREATE TABLE IF NOT EXISTS {schema}.{checkpoints} (seq bigint PRIMARY KEY, "
                "position bigint NOT NULL, hash text NOT NULL, signed_at text NOT NULL, "
                "key_id text, signature text)"
            ),
            sql(
                "CREATE TABLE IF NOT EXISTS {schema}.{keys} (key_id text PRIMARY KEY, "
                "public_key text NOT NULL, added_at text NOT NULL)"
            ),
        ]
        self.head_statement = sql(
            "SELECT (SELECT max(notification_id) FROM {schema}.{events}), "
            "(SELECT position FROM {schema}.{chain} ORDER BY position DESC LIMIT 1), "
            "(SELECT hash FROM {schema}.{chain} ORDER BY position DESC LIMIT 1), "
            "EXISTS (SELECT FROM {schema}.{log})"
        )
        #: Appended to the recorder's ``INSERT ... RETURNING notification_id``: where the log
        #: and the chain stood before the insert, in the insert's own answer. The subqueries
        #: run once, in the insert's snapshot, taken after the log's lock, and a statement
        #: does not see the rows it inserts itself.
        self.returning_head = sql(
            ", (SELECT max(notification_id) FROM {schema}.{events}) AS chain_events_before, "
            "(SELECT position FROM {schema}.{chain} ORDER BY position DESC LIMIT 1) "
            "AS chain_position, "
            "(SELECT hash FROM {schema}.{chain} ORDER BY position DESC LIMIT 1) AS chain_hash, "
            "EXISTS (SELECT FROM {schema}.{log}) AS chain_begun"
        )
        self.insert_links = sql(
            "INSERT INTO {schema}.{chain} (position, previous, originator_id, "
            "originator_version, hash) SELECT * FROM unnest(%s::bigint[], %s::bigint[], "
            "%s::uuid[], %s::bigint[], %s::bytea[])"
        )
        self.insert_link = sql("INSERT INTO {schema}.{chain} VALUES (%s, %s, %s, %s, %s)")
        self.copy_links = sql(
            "COPY {schema}.{chain} (position, previous, originator_id, originator_version, hash) "
            "FROM STDIN (FORMAT BINARY)"
        )
        self.events_between = sql(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{events} WHERE notification_id > %s AND notification_id <= %s "
            "ORDER BY notification_id LIMIT %s"
        )
        self.begin_log = sql(
            "INSERT INTO {schema}.{log} (log_id, started_at, backfilled_to) "
            "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
        )
        self.lock_log = sql("LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE")
        self.select_log = sql("SELECT log_id, started_at, backfilled_to FROM {schema}.{log}")
        self.select_heads = sql(
            "SELECT (SELECT max(notification_id) FROM {schema}.{events}), "
            "(SELECT position FROM {schema}.{chain} ORDER BY position DESC LIMIT 1), "
            "(SELECT hash FROM {schema}.{chain} ORDER BY position DESC LIMIT 1)"
        )
        # ``stop`` is left out of the SQL: ordered by position and limited, the index scan is
        # the one plan (see ``fastpaths.postgres.PostgresLeanRecorder``).
        self.select_walk = sql(
            "SELECT e.notification_id, uuid_send(e.originator_id), e.originator_version, "
            "e.topic, e.state, c.previous, uuid_send(c.originator_id), c.originator_version, "
            "c.hash "
            "FROM {schema}.{events} e LEFT JOIN {schema}.{chain} c "
            "ON c.position = e.notification_id "
            "WHERE e.notification_id > %s ORDER BY e.notification_id LIMIT %s"
        )
        self.select_link = sql(
            "SELECT position, previous, uuid_send(originator_id), originator_version, hash "
            "FROM {schema}.{chain} WHERE position = %s"
        )
        self.select_position = sql(
            "SELECT notification_id FROM {schema}.{events} "
            "WHERE originator_id = %s AND originator_version = %s"
        )
        self.select_checkpoints = sql(
            "SELECT seq, position, hash, signed_at, key_id, signature FROM {schema}.{checkpoints}"
        )
        self.insert_checkpoint = sql(
            "INSERT INTO {schema}.{checkpoints} VALUES (%s, %s, %s, %s, %s, %s)"
        )
        self.insert_key = sql(
            "INSERT INTO {schema}.{keys} VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
        )
        self.select_keys = sql("SELECT key_id, public_key FROM {schema}.{keys}")
        self.checkpoint_lock = f"actiontrail checkpoints {datastore.schema}"

    # Writing, in the recorder's transaction

    def link_written(
        self,
        conn: Connection[Any],
        stored_events: Sequence[StoredEvent],
        positions: Sequence[int],
        head: Mapping[str, Any],
    ) -> None:
        """Link the events an insert gave ``positions`` (and unchained events before them),
        from where its ``RETURNING`` says the log and the chain stood before it
        (``returning_head``)."""
        before = head["chain_events_before"]
        position = head["chain_position"]
        after = START if position is None else Link(position, bytes(head["chain_hash"]))
        if not head["chain_begun"]:
            conn.execute(self.begin_log, new_log(before))
        if before is not None and before > after.position:
            after, _ = self.chain_existing(conn, after, before)
        self.link_rows(
            conn,
            after,
            [
                (at, _uuid(e.originator_id), e.originator_version, e.topic, e.state)
                for at, e in zip(positions, stored_events, strict=True)
            ],
        )
        self.chained_here += len(positions)

    def link_rows(
        self,
        conn: Connection[Any],
        after: Link,
        events: Sequence[tuple[int, UUID, int, str, bytes]],
    ) -> Link:
        """Write the links of ``events`` (position, aggregate id, version, topic, state) after
        ``after``; where the chain then stands."""
        rows, after = chained(
            after,
            ((at, i, i.bytes, version, topic, state) for at, i, version, topic, state in events),
        )
        with conn.cursor() as cursor:
            if len(rows) <= FEW:
                cursor.executemany(self.insert_link, rows)
                return after
            if conn.pgconn.pipeline_status == pq.PipelineStatus.OFF:
                with cursor.copy(self.copy_links) as copy:
                    copy.set_types(["int8", "int8", "uuid", "int8", "bytea"])
                    for row in rows:
                        copy.write_row(row)
                return after
            for start in range(0, len(rows), SLICE):
                part = rows[start : start + SLICE]
                cursor.execute(
                    self.insert_links, [list(column) for column in zip(*part, strict=True)]
                )
        return after

    def chain_existing(self, conn: Connection[Any], after: Link, to: int) -> tuple[Link, int]:
        """Link the events after ``after`` up to position ``to`` (none has a link yet)."""
        count = 0
        with conn.cursor(row_factory=tuple_row) as cursor:
            while after.position < to:
                cursor.execute(self.events_between, (after.position, to, SLICE))
                events = [
                    (at, _uuid(i), version, topic, bytes(state))
                    for at, i, version, topic, state in cursor.fetchall()
                ]
                if not events:
                    break
                after = self.link_rows(conn, after, events)
                count += len(events)
        return after, count

    # Beginning and healing, at start-up

    def heal(self) -> int:
        heads = self.heads()
        chained_to = heads.chain.position if heads.chain else 0
        if self.log_record() is not None and chained_to >= heads.events:
            return 0
        with self.datastore.get_connection() as conn, conn.transaction():
            with conn.cursor(row_factory=tuple_row) as cursor:
                cursor.execute("SET LOCAL lock_timeout = '10s'")
                cursor.execute(self.lock_log)
                cursor.execute(self.head_statement)
                row = cursor.fetchone()
            assert row is not None
            before, position, value, begun = row
            after = START if position is None else Link(position, bytes(value))
            if not begun:
                conn.execute(self.begin_log, new_log(before))
            if before is None or before <= after.position:
                return 0
            return self.chain_existing(conn, after, before)[1]

    # Reading

    def _rows(
        self, statement: Composed, params: Sequence[Any] = (), binary: bool = False
    ) -> list[TupleRow]:
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row, binary=binary) as cursor,
        ):
            cursor.execute(statement, params)
            return cursor.fetchall()

    def _log_row(self) -> Sequence[Any] | None:
        rows = self._rows(self.select_log)
        return rows[0] if rows else None

    def _heads_row(self) -> Sequence[Any]:
        return self._rows(self.select_heads)[0]

    #: The walk reads ids as ``uuid_send``'s 16 bytes (``bytes`` of bytes is the same object).
    identity = bytes

    def walk(self, after: int, limit: int) -> list[WalkRow]:
        rows: list[WalkRow] = self._rows(self.select_walk, (after, limit), binary=True)
        return rows

    def _link_row(self, position: int) -> Sequence[Any] | None:
        rows = self._rows(self.select_link, (position,))
        if not rows:
            return None
        at, previous, aggregate, version, value = rows[0]
        return at, previous, bytes(aggregate), version, value

    def position_of(self, aggregate_id: bytes, version: int) -> int | None:
        if len(aggregate_id) != 16:
            return None
        rows = self._rows(self.select_position, (UUID(bytes=aggregate_id), version))
        return int(rows[0][0]) if rows else None

    def checkpoints(self) -> list[Checkpoint]:
        return self._checkpoints(SQL(" ORDER BY seq"))

    def last_checkpoint(self) -> Checkpoint | None:
        found = self._checkpoints(SQL(" ORDER BY seq DESC LIMIT 1"))
        return found[0] if found else None

    def _checkpoints(self, order: SQL) -> list[Checkpoint]:
        record = self.log_record()
        log = record.log_id if record else ""
        return [Checkpoint(log, *row) for row in self._rows(self.select_checkpoints + order)]

    def keys(self) -> dict[str, str]:
        return dict(self._rows(self.select_keys))

    def add_checkpoint(self, make: MakeCheckpoint, public_pem: str | None) -> Checkpoint | None:
        record = self.log_record()
        log = record.log_id if record else ""
        with self.datastore.get_connection() as conn, conn.transaction():
            cursor: Cursor[TupleRow]
            with conn.cursor(row_factory=tuple_row) as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))", (self.checkpoint_lock,)
                )
                cursor.execute(self.select_checkpoints + SQL(" ORDER BY seq DESC LIMIT 1"))
                row = cursor.fetchone()
                made = make(None if row is None else Checkpoint(log, *row))
                if made is None:
                    return None
                cursor.execute(
                    self.insert_checkpoint,
                    (made.seq, made.position, made.hash, made.signed_at, made.key, made.signature),
                )
                if made.key is not None and public_pem is not None:
                    cursor.execute(self.insert_key, (made.key, public_pem, made.signed_at))
        return made
