"""What every projection is, and the pending writes of a bitemporal table."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Connection, Table, or_, select

from domain.clock import as_utc
from domain.events import TrailAggregate
from projections.sealing import PLAIN, Sealer
from projections.writing import Closing, Key, Row, RowWriter

Event = TrailAggregate.Event
Positioned = tuple[int, Event]

#: Aggregates whose state a projection keeps in memory between batches (per cache): the most
#: recently used; one evicted is read back from its table when an event needs it again. A log's
#: aggregates are active for a while and then done, so this bounds a rebuild's memory whatever
#: the size of the log, at the cost of a read when an old aggregate has a late event.
CACHED_AGGREGATES = 2000
_ABSENT = object()


@dataclass(frozen=True)
class Period:
    """The days a report covers, ``from_date`` to ``to_date`` inclusive, as known at
    ``known_at`` (None: as known now)."""

    from_date: date
    to_date: date
    known_at: datetime | None = None


def touch(cache: MutableMapping[Any, Any], keys: Iterable[Any]) -> list[Any]:
    """Mark the ``keys`` held by ``cache`` (a dict, in order of use) as just used; the others,
    which are not cached, in the order given."""
    missing = []
    for key in keys:
        value = cache.pop(key, _ABSENT)
        if value is _ABSENT:
            missing.append(key)
        else:
            cache[key] = value
    return missing


def keep_recent(cache: MutableMapping[Any, Any], limit: int) -> None:
    """Drop the least recently used entries of ``cache`` beyond ``limit``."""
    excess = len(cache) - limit
    if excess > 0:
        for key in list(islice(cache, excess)):
            del cache[key]


class Projection(ABC):
    """Turns events into rows of the tables it owns, keyed by the tables' column names.

    The runner calls ``prepare`` (load what the batch needs), ``apply`` per event, then ``flush``
    (write the rows with the runner's ``RowWriter``), all inside the batch's transaction;
    ``discard`` forgets buffered writes and caches after a failed or conflicting batch. Events
    of types a projection does not handle are ignored by it (each projection declares its own
    types in ``handlers``). Rows are built with their sealed columns sealed by ``sealer``.
    """

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    #: A rebuild's cost relative to the others, by which a rebuild in several processes shares
    #: the projections out (``infrastructure.rebuild``).
    rebuild_weight: ClassVar[int] = 1

    def __init__(self, sealer: Sealer = PLAIN) -> None:
        self.sealer = sealer
        self.handlers: dict[type[Event], Callable[[int, Any], None]] = {}
        self.register()

    @abstractmethod
    def register(self) -> None:
        """Fill ``self.handlers``: event class to handler."""

    def handles(self, event: Event) -> bool:
        """Whether to give it the event; depends on the event's type only (``handles_type``)."""
        return self.handles_type(type(event))

    def handles_type(self, kind: type) -> bool:
        """Whether to give it events of this class."""
        return kind in self.handlers

    def prepare(self, conn: Connection, events: Sequence[Positioned]) -> None:  # noqa: B027
        """Load the state the batch needs (default: nothing)."""

    def apply(self, position: int, event: Event) -> None:
        handler = self.handlers.get(type(event))
        if handler is not None:
            handler(position, event)

    @abstractmethod
    def flush(self, conn: Connection, writer: RowWriter) -> None:
        """Write the buffered rows."""

    @abstractmethod
    def discard(self) -> None:
        """Forget buffered rows and cached state."""


class AppendOnly(Projection):
    """A projection that only ever inserts rows."""

    def __init__(self, sealer: Sealer = PLAIN) -> None:
        self.pending: dict[Table, list[Row]] = {}
        super().__init__(sealer)

    def add(self, table: Table, row: Row) -> None:
        self.pending.setdefault(table, []).append(self.sealer.row(table, row))

    def flush(self, conn: Connection, writer: RowWriter) -> None:
        for table, rows in self.pending.items():
            writer.insert(conn, table, rows)
        self.pending = {}

    def discard(self) -> None:
        self.pending = {}


@dataclass
class Version:
    rows: list[Row]
    recorded_from: datetime


class VersionedRows:
    """Buffered writes to a bitemporal table, with a cache of each key's current version.

    A key is a tuple of column values whose first item is the aggregate id (the group). A version
    may hold several rows (an action's timeline segments). ``put`` closes the current version at
    the event's recorded time and opens a new one; rows opened and closed within one batch are
    inserted already closed. The cache is filled per aggregate, from the current rows in the
    database, before a batch uses it; it holds the ``max_groups`` aggregates used last (after
    each flush), so memory does not grow with the log.
    """

    def __init__(
        self, table: Table, key_columns: tuple[str, ...], max_groups: int = CACHED_AGGREGATES
    ):
        self.table = table
        self.key_columns = key_columns
        self.max_groups = max_groups
        self.groups: dict[UUID, dict[Key, Version]] = {}
        self._inserts: list[Row] = []
        self._open: dict[Key, list[Row]] = {}
        self._closes: dict[Key, tuple[datetime, int]] = {}

    def ensure_loaded(
        self, conn: Connection, group_ids: Iterable[UUID], created: set[UUID]
    ) -> None:
        """Cache the current versions of these aggregates (those in ``created`` are new)."""
        missing = touch(self.groups, set(group_ids))
        for group in missing:
            if group in created:
                self.groups[group] = {}
        missing = [g for g in missing if g not in created]
        group_column = self.table.c[self.key_columns[0]]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            for group in chunk:
                self.groups[group] = {}
            statement = select(self.table).where(
                group_column.in_(chunk), self.table.c.recorded_to.is_(None)
            )
            for mapping in conn.execute(statement).mappings():
                row = {
                    name: value
                    for name, value in mapping.items()
                    if name not in ("recorded_from", "recorded_to", "from_position", "to_position")
                }
                key = tuple(row[name] for name in self.key_columns)
                versions = self.groups[key[0]]
                version = versions.get(key)
                if version is None:
                    versions[key] = Version([row], mapping["recorded_from"])
                else:
                    version.rows.append(row)

    def current(self, key: Key) -> Version | None:
        return self.groups[key[0]].get(key)

    def group(self, group_id: UUID) -> dict[Key, Version]:
        return self.groups[group_id]

    def put(self, key: Key, rows: list[Row], recorded_at: datetime, position: int) -> None:
        """Make ``rows`` the current version of ``key`` from this event on (no-op if unchanged)."""
        versions = self.groups[key[0]]
        previous = versions.get(key)
        if previous is not None:
            if previous.rows == rows:
                return
            recorded_at = max(recorded_at, previous.recorded_from)
            opened = self._open.get(key)
            if opened is not None:
                for row in opened:
                    row["recorded_to"] = recorded_at
                    row["to_position"] = position
            else:
                self._closes[key] = (recorded_at, position)
        new_rows = [
            {
                **row,
                "recorded_from": recorded_at,
                "recorded_to": None,
                "from_position": position,
                "to_position": None,
            }
            for row in rows
        ]
        self._inserts.extend(new_rows)
        self._open[key] = new_rows
        versions[key] = Version(rows, recorded_at)

    def flush(self, conn: Connection, writer: RowWriter) -> None:
        writer.close(
            conn,
            self.table,
            self.key_columns,
            [Closing(key, at, position) for key, (at, position) in self._closes.items()],
        )
        writer.insert(conn, self.table, self._inserts)
        self._inserts = []
        self._open = {}
        self._closes = {}
        keep_recent(self.groups, self.max_groups)

    def discard(self) -> None:
        self.groups = {}
        self._inserts = []
        self._open = {}
        self._closes = {}


def created_and_touched(
    events: Sequence[Positioned], handles: Callable[[Event], bool]
) -> tuple[set[UUID], set[UUID]]:
    """The aggregates a batch creates, and all the aggregates it touches, among handled events."""
    created: set[UUID] = set()
    touched: set[UUID] = set()
    for _, event in events:
        if handles(event):
            touched.add(event.originator_id)
            if event.originator_version == 1:
                created.add(event.originator_id)
    return created, touched


def known_at(table: Any, moment: datetime | None) -> Any:
    """Rows as the records stood at recorded time ``moment`` (None: as they stand now)."""
    return or_(*known_at_ranges(table, moment))


def known_at_ranges(table: Any, moment: datetime | None) -> tuple[Any, ...]:
    """``known_at`` as conditions of which exactly one holds for each such row, each a range of
    an index on ``(recorded_to, recorded_from)``: the version not closed yet, or closed after
    ``moment`` (for queries that ask them one by one; planners read the ``OR`` poorly)."""
    if moment is None:
        return (table.c.recorded_to.is_(None),)
    moment = as_utc(moment)
    return (
        table.c.recorded_to.is_(None) & (table.c.recorded_from <= moment),
        (table.c.recorded_to > moment) & (table.c.recorded_from <= moment),
    )
