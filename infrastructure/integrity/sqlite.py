"""The chain on SQLite: its tables beside ``stored_events``, its links written in the recorder's
own transaction, and what verification and checkpoints read and write.

SQLite has one writer at a time: the recorder's ``INSERT`` of the events takes the write lock,
and the links are computed after it, inside the same transaction, so the previous link read
there is the last one committed. Checkpoints and ``heal`` take the lock first
(``BEGIN IMMEDIATE``).
"""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from infrastructure.integrity.links import START, Checkpoint, Link, chained, id_bytes, new_log
from infrastructure.integrity.store import ChainStore, MakeCheckpoint, WalkRow

#: Events read at a time when existing events are chained.
HEAL_BATCH = 10_000
#: A position above any event's.
ABOVE_ALL = 1 << 62


class SQLiteChain(ChainStore):
    chain_table = "event_chain"
    log_table = "integrity_log"
    checkpoints_table = "checkpoints"
    keys_table = "integrity_keys"

    def __init__(self, datastore: SQLiteDatastore, events_table: str) -> None:
        super().__init__()
        self.datastore = datastore
        self.events_table = events = events_table
        chain = self.chain_table
        self.create_statements = [
            f"CREATE TABLE IF NOT EXISTS {chain} (position INTEGER PRIMARY KEY, "
            "previous INTEGER NOT NULL, originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, hash BLOB NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.log_table} ("
            "one INTEGER PRIMARY KEY CHECK (one = 1), log_id TEXT NOT NULL, "
            "started_at TEXT NOT NULL, backfilled_to INTEGER NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.checkpoints_table} (seq INTEGER PRIMARY KEY, "
            "position INTEGER NOT NULL, hash TEXT NOT NULL, signed_at TEXT NOT NULL, "
            "key_id TEXT, signature TEXT)",
            f"CREATE TABLE IF NOT EXISTS {self.keys_table} (key_id TEXT PRIMARY KEY, "
            "public_key TEXT NOT NULL, added_at TEXT NOT NULL)",
        ]
        #: The last event before ``?`` and the last link before it, and whether the log began.
        self._head_before = (
            f"SELECT (SELECT max(rowid) FROM {events} WHERE rowid < ?), "
            f"(SELECT position FROM {chain} WHERE position < ? ORDER BY position DESC LIMIT 1), "
            f"(SELECT hash FROM {chain} WHERE position < ? ORDER BY position DESC LIMIT 1), "
            f"EXISTS (SELECT 1 FROM {self.log_table})"
        )
        #: The last link before position ``?``.
        self._last_link = (
            f"SELECT position, hash FROM {chain} WHERE position < ? ORDER BY position DESC LIMIT 1"
        )
        self._begun = f"SELECT EXISTS (SELECT 1 FROM {self.log_table})"
        #: Whether this process has seen the log's row (once begun, a log stays begun).
        self._seen_begun = False
        self._insert_links = f"INSERT INTO {chain} VALUES (?, ?, ?, ?, ?)"
        self._events_between = (
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {events} "
            "WHERE rowid > ? AND rowid < ? ORDER BY rowid LIMIT ?"
        )
        self._begin_log = f"INSERT OR IGNORE INTO {self.log_table} VALUES (1, ?, ?, ?)"
        self._walk = (
            "SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, "
            "c.previous, c.originator_id, c.originator_version, c.hash "
            f"FROM {events} e LEFT JOIN {chain} c ON c.position = e.rowid "
            "WHERE e.rowid > ? ORDER BY e.rowid LIMIT ?"
        )

    # Writing, in the recorder's transaction

    def after_insert(
        self, cursor: SQLiteCursor, stored_events: Sequence[StoredEvent], positions: Sequence[int]
    ) -> None:
        """Link the events just inserted at ``positions`` (and any unchained events before
        them), in the recorder's transaction, which holds the write lock since its insert."""
        if not positions:
            return
        first = positions[0]
        # SQLite gives a new row the rowid after the largest in the table: the last event
        # before these is at ``first - 1``.
        before = first - 1
        raw: sqlite3.Cursor = cursor.sqlite_cursor
        last = raw.execute(self._last_link, (first,)).fetchone()
        after = START if last is None else Link(last[0], last[1])
        if not self._seen_begun:
            if not raw.execute(self._begun).fetchone()[0]:
                raw.execute(self._begin_log, new_log(before))
            self._seen_begun = True
        if before > after.position:
            after, _ = self._chain_existing(raw, after, first)
        rows, _ = chained(after, _as_stored(positions, stored_events))
        raw.executemany(self._insert_links, rows)
        self.chained_here += len(rows)

    def _chain_existing(self, raw: sqlite3.Cursor, after: Link, below: int) -> tuple[Link, int]:
        """Link the events after ``after`` and before position ``below`` (none has a link yet):
        where the chain then stands, and how many were linked."""
        count = 0
        while True:
            events = raw.execute(self._events_between, (after.position, below, HEAL_BATCH))
            rows, after = chained(
                after,
                (
                    (at, stored, id_bytes(stored), version, topic, state)
                    for at, stored, version, topic, state in events.fetchall()
                ),
            )
            if not rows:
                return after, count
            raw.executemany(self._insert_links, rows)
            count += len(rows)

    # Beginning and healing, at start-up

    def heal(self) -> int:
        heads = self.heads()
        chained_to = heads.chain.position if heads.chain else 0
        if self.log_record() is not None and chained_to >= heads.events:
            return 0
        with self._writing() as raw:
            before, position, value, begun = raw.execute(
                self._head_before, (ABOVE_ALL,) * 3
            ).fetchone()
            after = START if position is None else Link(position, value)
            if not begun:
                raw.execute(self._begin_log, new_log(before))
            if before is None or before <= after.position:
                return 0
            return self._chain_existing(raw, after, ABOVE_ALL)[1]

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Cursor]:
        """A transaction that holds the write lock from its start."""
        with self.datastore.get_connection(commit=True) as conn:
            raw: sqlite3.Cursor = conn.cursor().sqlite_cursor
            raw.row_factory = None
            raw.execute("BEGIN IMMEDIATE")
            try:
                yield raw
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Cursor]:
        with self.datastore.transaction(commit=False) as cursor:
            raw: sqlite3.Cursor = cursor.sqlite_cursor
            raw.row_factory = None
            yield raw

    # Reading

    def _log_row(self) -> Sequence[Any] | None:
        with self._reading() as raw:
            row: Sequence[Any] | None = raw.execute(
                f"SELECT log_id, started_at, backfilled_to FROM {self.log_table}"
            ).fetchone()
        return row

    def _heads_row(self) -> Sequence[Any]:
        with self._reading() as raw:
            row: Sequence[Any] = raw.execute(
                f"SELECT (SELECT max(rowid) FROM {self.events_table}), "
                f"(SELECT position FROM {self.chain_table} ORDER BY position DESC LIMIT 1), "
                f"(SELECT hash FROM {self.chain_table} ORDER BY position DESC LIMIT 1)"
            ).fetchone()
        return row

    #: The recorder stores a UUID's 32 hex digits.
    identity = bytes.fromhex

    def walk(self, after: int, limit: int) -> list[WalkRow]:
        with self._reading() as raw:
            rows: list[WalkRow] = raw.execute(self._walk, (after, limit)).fetchall()
        return rows

    def _link_row(self, position: int) -> Sequence[Any] | None:
        with self._reading() as raw:
            row = raw.execute(
                f"SELECT position, previous, originator_id, originator_version, hash "
                f"FROM {self.chain_table} WHERE position = ?",
                (position,),
            ).fetchone()
        if row is None:
            return None
        at, previous, aggregate, version, value = row
        return at, previous, _id_bytes(aggregate), version, value

    def position_of(self, aggregate_id: bytes, version: int) -> int | None:
        with self._reading() as raw:
            row = raw.execute(
                f"SELECT rowid FROM {self.events_table} "
                "WHERE originator_id = ? AND originator_version = ?",
                (aggregate_id.hex(), version),
            ).fetchone()
        return None if row is None else int(row[0])

    def checkpoints(self) -> list[Checkpoint]:
        return self._checkpoints("ORDER BY seq")

    def last_checkpoint(self) -> Checkpoint | None:
        found = self._checkpoints("ORDER BY seq DESC LIMIT 1")
        return found[0] if found else None

    def _checkpoints(self, order: str) -> list[Checkpoint]:
        record = self.log_record()
        with self._reading() as raw:
            rows = raw.execute(
                "SELECT seq, position, hash, signed_at, key_id, signature "
                f"FROM {self.checkpoints_table} {order}"
            ).fetchall()
        log = record.log_id if record else ""
        return [Checkpoint(log, *row) for row in rows]

    def keys(self) -> dict[str, str]:
        with self._reading() as raw:
            rows = raw.execute(f"SELECT key_id, public_key FROM {self.keys_table}").fetchall()
        return dict(rows)

    def add_checkpoint(self, make: MakeCheckpoint, public_pem: str | None) -> Checkpoint | None:
        record = self.log_record()
        log = record.log_id if record else ""
        with self._writing() as raw:
            row = raw.execute(
                "SELECT seq, position, hash, signed_at, key_id, signature "
                f"FROM {self.checkpoints_table} ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            made = make(None if row is None else Checkpoint(log, *row))
            if made is None:
                return None
            raw.execute(
                f"INSERT INTO {self.checkpoints_table} VALUES (?, ?, ?, ?, ?, ?)",
                (made.seq, made.position, made.hash, made.signed_at, made.key, made.signature),
            )
            if made.key is not None and public_pem is not None:
                raw.execute(
                    f"INSERT OR IGNORE INTO {self.keys_table} VALUES (?, ?, ?)",
                    (made.key, public_pem, made.signed_at),
                )
        return made


def _as_stored(
    positions: Sequence[int], stored_events: Sequence[StoredEvent]
) -> list[tuple[int, str, bytes, int, str, bytes]]:
    """The events as ``chained`` takes them, each aggregate id as the recorder stores it (a
    UUID's 32 hex digits) and as its 16 bytes."""
    rows = []
    for at, event in zip(positions, stored_events, strict=True):
        aggregate = event.originator_id
        if isinstance(aggregate, UUID):
            identity = aggregate.bytes
            rows.append(
                (at, identity.hex(), identity, event.originator_version, event.topic, event.state)
            )
        else:
            identity = id_bytes(aggregate)
            rows.append(
                (at, aggregate, identity, event.originator_version, event.topic, event.state)
            )
    return rows


def _id_bytes(stored: Any) -> bytes:
    """A stored aggregate id's bytes; text that is not hex (changed by hand) as it is."""
    try:
        return bytes.fromhex(stored)
    except (TypeError, ValueError):
        return str(stored).encode()
