"""What someone with access to the database, but not to the signing key, can do to the log."""

import hashlib
import sqlite3
import struct
from contextlib import closing
from dataclasses import replace
from typing import Any
from uuid import UUID

import psycopg
from psycopg.sql import SQL, Identifier

from infrastructure.config import Settings
from infrastructure.integrity.keys import Signer
from infrastructure.integrity.links import GENESIS, Checkpoint, link
from infrastructure.storage.database import postgres_conninfo


class Tamper:
    """Plain SQL on the store's tables (``?`` marks parameters on both stores)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sqlite = settings.store == "sqlite"
        prefix = "" if self.sqlite else "actiontrail_"
        self.events = "stored_events" if self.sqlite else "actiontrail_events"
        self.chain = f"{prefix}event_chain"
        self.checkpoints = f"{prefix}checkpoints"
        self.keys = f"{prefix}integrity_keys"
        self.log = f"{prefix}integrity_log"
        self.position = "rowid" if self.sqlite else "notification_id"

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        statement = statement.replace("{position}", self.position)
        if self.sqlite:
            with closing(sqlite3.connect(self.settings.sqlite_path)) as conn, conn:
                return conn.execute(statement, params).fetchall()
        with psycopg.connect(postgres_conninfo(self.settings), autocommit=True) as conn:
            conn.execute(
                SQL("SET search_path TO {}").format(Identifier(self.settings.database_schema))
            )
            cursor = conn.execute(statement.replace("?", "%s"), params)  # type: ignore[call-overload]
            return cursor.fetchall() if cursor.description else []

    def stored_events(self) -> list[tuple[int, bytes, int, str, bytes]]:
        """Every event as stored: position, aggregate id's 16 bytes, version, topic, state."""
        rows = self.run(
            f"SELECT {{position}}, originator_id, originator_version, topic, state "
            f"FROM {self.events} ORDER BY {{position}}"
        )
        return [
            (position, self.id_bytes(aggregate), version, topic, bytes(state))
            for position, aggregate, version, topic, state in rows
        ]

    def stored_links(self) -> list[tuple[int, int, bytes, int, bytes]]:
        """Every link as stored: position, previous, aggregate id's bytes, version, value."""
        rows = self.run(
            f"SELECT position, previous, originator_id, originator_version, hash "
            f"FROM {self.chain} ORDER BY position"
        )
        return [
            (position, previous, self.id_bytes(aggregate), version, bytes(value))
            for position, previous, aggregate, version, value in rows
        ]

    def id_bytes(self, stored: Any) -> bytes:
        return bytes.fromhex(stored) if self.sqlite else UUID(str(stored)).bytes

    def head(self) -> int:
        return int(self.run(f"SELECT max({{position}}) FROM {self.events}")[0][0])

    def change_state_byte(self, position: int) -> None:
        select = f"SELECT state FROM {self.events} WHERE {{position}} = ?"
        (state,) = self.run(select, (position,))[0]
        changed = bytearray(state)
        changed[len(changed) // 2] ^= 0x01
        self.run(
            f"UPDATE {self.events} SET state = ? WHERE {{position}} = ?", (bytes(changed), position)
        )

    def delete_event(self, position: int, with_its_link: bool = False) -> None:
        self.run(f"DELETE FROM {self.events} WHERE {{position}} = ?", (position,))
        if with_its_link:
            self.run(f"DELETE FROM {self.chain} WHERE position = ?", (position,))

    def delete_link(self, position: int) -> None:
        self.run(f"DELETE FROM {self.chain} WHERE position = ?", (position,))

    def change_link(self, position: int) -> None:
        self.run(f"UPDATE {self.chain} SET hash = ? WHERE position = ?", (bytes(32), position))

    def swap_events(self, first: int, second: int) -> None:
        """Exchange two events' positions (the chain left alone)."""
        for old, new in ((first, -1), (second, first), (-1, second)):
            move = f"UPDATE {self.events} SET {{position}} = ? WHERE {{position}} = ?"
            self.run(move, (new, old))

    def truncate(self, after: int, links_too: bool = True) -> None:
        """Remove every event after position ``after`` (and their links)."""
        self.run(f"DELETE FROM {self.events} WHERE {{position}} > ?", (after,))
        if links_too:
            self.run(f"DELETE FROM {self.chain} WHERE position > ?", (after,))

    def delete_checkpoints(self, *seqs: int) -> None:
        for seq in seqs:
            self.run(f"DELETE FROM {self.checkpoints} WHERE seq = ?", (seq,))

    def rewrite_chain(self) -> dict[int, bytes]:
        """Recompute every link from the events as they now stand (knowing the algorithm, not
        the key): the chain agrees with the log again. The new values, by position."""
        value = GENESIS
        values = {}
        for position, identity, version, topic, state in self.stored_events():
            value = link(value, position, identity, version, topic, state)
            values[position] = value
            self.run(f"UPDATE {self.chain} SET hash = ? WHERE position = ?", (value, position))
        return values

    def stored_checkpoints(self) -> list[Checkpoint]:
        (log,) = self.run(f"SELECT log_id FROM {self.log}")[0]
        rows = self.run(
            f"SELECT seq, position, hash, signed_at, key_id, signature FROM {self.checkpoints} "
            "ORDER BY seq"
        )
        return [Checkpoint(log, *row) for row in rows]

    def rewrite_checkpoints(self, values: dict[int, bytes], signer: Signer | None = None) -> None:
        """Make every checkpoint hold the chain's new values: signed with ``signer`` (the
        attacker's own key, added to the database's keys), or with the signatures left as they
        were (they no longer match)."""
        for checkpoint in self.stored_checkpoints():
            new = replace(checkpoint, hash=values[checkpoint.position].hex())
            if signer is not None:
                new = replace(new, key=signer.key_id, signature=None)
                new = replace(new, signature=signer.sign(new.message()))
            self.run(
                f"UPDATE {self.checkpoints} SET hash = ?, key_id = ?, signature = ? WHERE seq = ?",
                (new.hash, new.key, new.signature, new.seq),
            )
        if signer is not None:
            self.add_key(signer)

    def add_key(self, signer: Signer) -> None:
        self.run(
            f"INSERT INTO {self.keys} VALUES (?, ?, ?)", (signer.key_id, signer.public_pem, "now")
        )

    def replace_public_keys(self, signer: Signer) -> None:
        """Put ``signer``'s public key in the place of every key the database holds."""
        self.run(f"UPDATE {self.keys} SET public_key = ?", (signer.public_pem,))


def documented_chain(
    events: list[tuple[int, bytes, int, str, bytes]],
) -> list[tuple[int, int, bytes, int, bytes]]:
    """The links of ``events`` as docs/integrity.md defines them, computed here from the
    documentation rather than by ``links.link``."""
    chain = []
    value, previous = bytes(32), 0
    for position, identity, version, topic, state in events:
        name = topic.encode("utf-8")
        encoded = (
            b"actiontrail/chain/1\x00"
            + struct.pack(">Q", position)
            + identity
            + struct.pack(">QIQ", version, len(name), len(state))
            + name
            + state
        )
        value = hashlib.sha256(value + encoded).digest()
        chain.append((position, previous, identity, version, value))
        previous = position
    return chain
