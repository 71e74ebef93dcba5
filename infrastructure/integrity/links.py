"""The chain's arithmetic, without I/O: how one stored event is encoded and its link computed,
and what a checkpoint signs.

A link's value is SHA-256 over the previous link's value (32 bytes; 32 zero bytes, ``GENESIS``,
before the first event of the log) followed by the event's encoding, every integer unsigned
big-endian:

====== ====== ===============================================================================
offset  bytes  field
====== ====== ===============================================================================
0       20     the tag ``actiontrail/chain/1`` and one zero byte (the encoding's version)
20      8      the event's position in the log (its notification id)
28      16     the aggregate's id (the UUID's 16 bytes)
44      8      the aggregate's version (the event's originator version)
52      4      n, the length of the topic in bytes
56      8      m, the length of the stored state in bytes
64      n      the topic, UTF-8
64+n    m      the state exactly as stored: compressed and encrypted when the store is
====== ====== ===============================================================================

The fixed header gives every length before the variable fields, so the encoding splits one
way only: no two events encode alike. The library keeps no time column: an event's recorded
time is its ``timestamp``, inside the state, so the state's bytes cover it. With encryption on
(``ACTIONTRAIL_CIPHER_KEY``) the chain covers the sealed bytes: it verifies without the key,
and still verifies once a key is destroyed.
"""

import json
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import sha256
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from domain.clock import utc_now

#: The value before the first link.
GENESIS = bytes(32)
TAG = b"actiontrail/chain/1\x00"
HEADER = struct.Struct(">20sQ16sQIQ")
#: What a checkpoint's signed document says it is.
CHECKPOINT_KIND = "actiontrail checkpoint 1"

_pack = HEADER.pack


#: Topics' UTF-8 bytes (a log has a few dozen topics).
_TOPICS: dict[str, bytes] = {}


def _utf8(topic: str) -> bytes:
    name = _TOPICS.get(topic)
    if name is None:
        name = topic.encode()
        if len(_TOPICS) < 4096:
            _TOPICS[topic] = name
    return name


def encode(position: int, aggregate_id: bytes, version: int, topic: str, state: bytes) -> bytes:
    """One event's encoding (the table above)."""
    name = _utf8(topic)
    return b"".join(
        (_pack(TAG, position, aggregate_id, version, len(name), len(state)), name, state)
    )


def link(  # noqa: PLR0913 - the hot path: an event's stored fields as they are, no object each
    previous: bytes, position: int, aggregate_id: bytes, version: int, topic: str, state: bytes
) -> bytes:
    """The chain's value at an event: SHA-256 of the previous value and the event's encoding."""
    name = _TOPICS.get(topic) or _utf8(topic)
    header = _pack(TAG, position, aggregate_id, version, len(name), len(state))
    return sha256(b"".join((previous, header, name, state))).digest()


def id_bytes(originator_id: UUID | str) -> bytes:
    """An aggregate id's 16 bytes (a stored event's id is a UUID, or its text)."""
    return (originator_id if isinstance(originator_id, UUID) else UUID(originator_id)).bytes


class Link(NamedTuple):
    """Where the chain stands: the position of its last link (0 before the first) and value."""

    position: int
    value: bytes


START = Link(0, GENESIS)


def new_log(backfilled_to: int | None) -> tuple[str, str, int]:
    """A new log's row: its id, when its chain began (now), and the last event written
    before it began."""
    return str(uuid4()), utc_now().isoformat(), backfilled_to or 0


class ChainRow(NamedTuple):
    """A link as stored: the previous link's position (0 for the first), the aggregate (in the
    store's own form) and version of the event linked, and the value."""

    position: int
    previous: int
    aggregate: Any
    version: int
    value: bytes


def chained(
    after: Link, events: Iterable[tuple[int, Any, bytes, int, str, bytes]]
) -> tuple[list[ChainRow], Link]:
    """The chain's rows for ``events`` (position, aggregate as stored, aggregate id's bytes,
    version, topic, state; in position order) following ``after``, and where it then stands.

    ``link`` in a loop, written out: a bulk import links thousands of events in one write."""
    rows: list[ChainRow] = []
    append = rows.append
    position, value = after
    pack, tag, topics, join = _pack, TAG, _TOPICS, b"".join
    for at, aggregate, identity, version, topic, state in events:
        name = topics.get(topic) or _utf8(topic)
        header = pack(tag, at, identity, version, len(name), len(state))
        value = sha256(join((value, header, name, state))).digest()
        append((at, position, aggregate, version, value))  # type: ignore[arg-type]
        position = at
    return rows, Link(position, value)


@dataclass(frozen=True)
class Checkpoint:
    """The chain's value at one position, at one time, signed (or not) by one key.

    ``seq`` numbers a log's checkpoints 1, 2, 3...; ``log`` is the log's own id, so that a
    checkpoint of one log never passes for another's; ``key`` is the signing key's id
    (``keys.key_id``), ``signature`` base64; both None when unsigned.
    """

    log: str
    seq: int
    position: int
    hash: str
    signed_at: str
    key: str | None = None
    signature: str | None = None

    def message(self) -> bytes:
        """The bytes signed: canonical JSON (sorted keys, no spaces) of every field but the
        signature."""
        document = {
            "kind": CHECKPOINT_KIND,
            "log": self.log,
            "seq": self.seq,
            "position": self.position,
            "hash": self.hash,
            "signed_at": self.signed_at,
            "key": self.key,
        }
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()

    def as_json(self) -> dict[str, Any]:
        """The checkpoint as a witness line holds it."""
        return {**json.loads(self.message()), "signature": self.signature}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> "Checkpoint":
        """A checkpoint from a witness line (``ValueError`` when it is not one)."""
        if document.get("kind") != CHECKPOINT_KIND:
            raise ValueError("not an actiontrail checkpoint")
        try:
            made = cls(
                log=str(document["log"]),
                seq=int(document["seq"]),
                position=int(document["position"]),
                hash=str(document["hash"]),
                signed_at=str(document["signed_at"]),
                key=None if document.get("key") is None else str(document["key"]),
                signature=(
                    None if document.get("signature") is None else str(document["signature"])
                ),
            )
        except KeyError as error:
            raise ValueError(f"a checkpoint without {error}") from None
        except TypeError as error:
            raise ValueError(f"not a checkpoint: {error}") from None
        return made

    @property
    def signed(self) -> bool:
        return self.key is not None and self.signature is not None

    def value(self) -> bytes | None:
        """The chain's value it holds, None when ``hash`` is not 64 hex digits."""
        try:
            held = bytes.fromhex(self.hash)
        except ValueError:
            return None
        return held if len(held) == 32 else None
