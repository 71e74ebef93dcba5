"""What the chain's tables hold and what verification and checkpoints ask of them, whichever the
store (``sqlite.SQLiteChain``, ``postgres.PostgresChain``).

The tables, beside the log (PostgreSQL names them after the log: ``actiontrail_event_chain``...):

- ``event_chain``: one row a chained event: ``position`` (the event's), ``previous`` (the
  position of the link before, 0 for the first), the event's ``originator_id`` and
  ``originator_version``, and ``hash``, the chain's value there (``links.link``). Only the
  value is needed to verify; the rest says what went wrong when it does not verify.
- ``integrity_log``: one row: the log's id (a UUID the checkpoints sign), when the chain began,
  and ``backfilled_to``, the last event that was written before it began (0 for a log chained
  from its first event).
- ``checkpoints``: ``seq`` (1, 2, 3...), ``position``, ``hash`` (hex), ``signed_at`` (ISO 8601),
  ``key_id`` and ``signature`` (base64; both null when unsigned).
- ``integrity_keys``: the public key (PEM) of every key that signed a checkpoint, by key id. A
  convenience for a reader: verification trusts the keys it is given, never these alone.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from infrastructure.integrity.links import Checkpoint, Link


class LogRecord(NamedTuple):
    log_id: str
    started_at: str
    backfilled_to: int


class StoredLink(NamedTuple):
    """One row of the chain, the aggregate id as its 16 bytes."""

    position: int
    previous: int
    aggregate_id: bytes
    version: int
    value: bytes


#: One event of the log with its link, as verification walks them: position, aggregate id (as
#: the store holds it: ``ChainStore.identity`` gives its 16 bytes), version, topic, state; then
#: the link stored at that position (all None when there is none): its ``previous``, the
#: aggregate id (in the same form) and version it was made for, and its value.
WalkRow = tuple[int, Any, int, str, bytes, int | None, Any, int | None, bytes | None]


@dataclass(frozen=True)
class Heads:
    """Where the log and the chain end: the last event's position (0 when empty) and the last
    link (None before the first)."""

    events: int
    chain: Link | None


#: Builds the next checkpoint from the last one, read under the checkpoints' lock (None: make
#: none after all, e.g. another process made one meanwhile).
MakeCheckpoint = Callable[[Checkpoint | None], Checkpoint | None]


class ChainStore(ABC):
    """The chain's tables on one store. The recorder writes links in its own transactions; the
    rest is read by verification and written by checkpoints."""

    def __init__(self) -> None:
        #: Events this process chained with its own writes (``service.after_writes``).
        self.chained_here = 0

    #: An aggregate id of a ``WalkRow`` as its 16 bytes (a builtin: it runs once an event).
    identity: Callable[[Any], bytes]

    @abstractmethod
    def heal(self) -> int:
        """Begin the chain (its ``integrity_log`` row) if it has not begun, and chain every event
        at the end of the log that has no link yet (events written before this version, or
        copied in by SQL), holding the log's write lock; how many were chained."""

    def log_record(self) -> LogRecord | None:
        row = self._log_row()
        return None if row is None else LogRecord(*row)

    def heads(self) -> Heads:
        events, position, value = self._heads_row()
        return Heads(events or 0, None if position is None else Link(position, bytes(value)))

    @abstractmethod
    def walk(self, after: int, limit: int) -> list[WalkRow]:
        """Up to ``limit`` events after position ``after``, in position order, with their links."""

    def link_at(self, position: int) -> StoredLink | None:
        row = self._link_row(position)
        if row is None:
            return None
        at, previous, aggregate_id, version, value = row
        return StoredLink(at, previous, aggregate_id, version, bytes(value))

    # The rows the store reads them from

    @abstractmethod
    def _log_row(self) -> Sequence[Any] | None:
        """The ``integrity_log`` row (None before the chain begins)."""

    @abstractmethod
    def _heads_row(self) -> Sequence[Any]:
        """The last event's position, the last link's position and its value (each None when
        there is none)."""

    @abstractmethod
    def _link_row(self, position: int) -> Sequence[Any] | None:
        """The link at ``position`` (None: none), its aggregate id as its 16 bytes."""

    @abstractmethod
    def position_of(self, aggregate_id: bytes, version: int) -> int | None:
        """Where an aggregate's event of a version stands in the log, if it does."""

    @abstractmethod
    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, by ``seq``."""

    @abstractmethod
    def last_checkpoint(self) -> Checkpoint | None: ...

    @abstractmethod
    def keys(self) -> dict[str, str]:
        """The public keys (PEM) the database holds, by key id."""

    @abstractmethod
    def add_checkpoint(self, make: MakeCheckpoint, public_pem: str | None) -> Checkpoint | None:
        """Store the checkpoint ``make`` builds from the last one, both under a lock that one
        process at a time holds (so that workers never write two checkpoints of one ``seq``),
        and ``public_pem`` beside it when the key is new to the database."""
