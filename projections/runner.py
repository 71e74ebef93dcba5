"""The projection runner: catches up from stored positions, then follows the log.

Exactly once: a batch's read-model rows and the projections' new positions are written in one
transaction, and the transaction starts by moving each position from the value the batch was
prepared for (compare and set). A crash anywhere rolls the whole batch back; a second runner on
the same database (the server and a worker) loses the compare and set and re-reads instead of
applying a batch twice.

A projection that cannot apply an event (the database refuses a value, a projector fails, the
event cannot be decoded) stalls just before it, visibly (``projections.stalls``): when a batch
fails, it is applied again to each projection alone, in ever smaller parts, to find the one
event; the other projections carry on. A stalled projection is tried again when an operator
asks (``retry``) and once each time the follow loop starts, never in a loop; it passes the event
only by applying it or by a skip recorded in the log (``domain.projection_skip``), so the read
models never silently disagree with the log. Failures of the database connection stall nothing:
the follow loop backs off and tries again.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Notification
from sqlalchemy import Connection, Engine, Table, delete, insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex, DropIndex

from domain.events import TrailAggregate
from domain.projection_skip import ProjectionSkip
from domain.text import quoted
from projections import stalls
from projections.audit_log import AuditLogProjection
from projections.base import Positioned, Projection
from projections.errors import (
    PositionConflict,
    ProjectionStalled,
    UndecodableEvent,
    UnknownProjection,
)
from projections.meetings import MeetingsProjection
from projections.models import ProjectionStatus
from projections.overdue import OverdueProjection
from projections.quality import QualityProjection
from projections.queue import QueueProjection
from projections.responses import ResponsesProjection
from projections.sealing import PLAIN, Sealer
from projections.stalls import Stall
from projections.tables import (
    RETIRED_INDEXES,
    metadata,
    projection_positions,
    projection_stalls,
)
from projections.writing import CORE_WRITER, RowWriter

log = logging.getLogger(__name__)

Decode = Callable[[Notification], Any]
EventClass = Callable[[str], type]
"""The class of a topic's events (raises if the topic is unknown)."""
Progress = Callable[[int, int], None]
"""Called after each batch with (events read so far, events to read in all)."""


def all_projections(sealer: Sealer = PLAIN) -> list[Projection]:
    return [
        AuditLogProjection(sealer),
        OverdueProjection(sealer),
        MeetingsProjection(sealer),
        QualityProjection(sealer),
        ResponsesProjection(sealer),
        QueueProjection(sealer),
    ]


class ProjectionRunner:
    """Keeps the read models of ``projections`` up to date with the recorder's log.

    ``decode`` turns a notification into its event and ``writer`` puts the projections' rows on
    disk: the plain ones are the library's mapper and ``CoreWriter``, the fast ones come from
    ``infrastructure.storage.fastpaths``. ``write_lock`` (a context manager factory) is held around
    each batch's write transaction; runners sharing a SQLite file can use one to take turns at once
    instead of polling for the database's write lock. ``event_class`` (a topic's class), if
    given, lets the runner leave undecoded the events that none of its active projections
    handles.
    """

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Decode,
        engine: Engine,
        projections: Sequence[Projection] | None = None,
        batch_size: int = 2000,
        max_poll_interval: float = 1.0,
        settle: float = 0.05,
        write_lock: Callable[[], AbstractContextManager[Any]] = nullcontext,
        writer: RowWriter = CORE_WRITER,
        event_class: EventClass | None = None,
        setup_lock: Callable[[], AbstractContextManager[Any]] = nullcontext,
    ) -> None:
        self.recorder = recorder
        self.event_class = event_class
        #: Held while the tables are made: processes starting together take turns.
        self.setup_lock = setup_lock
        self.decode = decode
        self.writer = writer
        self.engine = engine
        self.projections = list(projections) if projections is not None else all_projections()
        self.batch_size = batch_size
        self.max_poll_interval = max_poll_interval
        self.settle = settle
        self.write_lock = write_lock
        self.error: str | None = None
        self._positions: dict[str, int] = {}
        self._kinds: dict[str, type | None] = {}
        self._stalls: dict[str, Stall] = {}
        self._retrying: set[str] = set()
        self._lock = threading.RLock()
        self._advanced = threading.Condition()
        self._wakeup = threading.Event()
        self._urgent = threading.Event()
        self._synced_at = float("-inf")
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.setup()

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    # Storage

    def setup(self) -> None:
        """Create the tables (if missing) and a position row for each projection, holding
        ``setup_lock``."""
        with self.setup_lock():
            self._setup()

    def _setup(self) -> None:
        tables = [
            projection_positions,
            projection_stalls,
            *(t for p in self.projections for t in p.tables),
        ]
        metadata.create_all(self.engine, tables=[projection_positions, projection_stalls])
        self._drop_outdated()
        metadata.create_all(self.engine, tables=tables)
        self._create_indexes(self.projections)
        stored = self.stored_positions()
        for name in self.names:
            if name not in stored:
                try:
                    with self.engine.begin() as conn:
                        conn.execute(insert(projection_positions).values(name=name, position=0))
                except IntegrityError:
                    pass  # another runner created it meanwhile
        self._sync()

    def _drop_outdated(self) -> None:
        """Drop the tables of a projection whose stored columns differ from this version's, and
        its position: it is built again from the start of the log (read models are derived)."""
        schema = self._schema
        inspector = inspect(self.engine)
        for projection in self.projections:
            if not any(
                inspector.has_table(table.name, schema=schema)
                and {c["name"] for c in inspector.get_columns(table.name, schema=schema)}
                != set(table.columns.keys())
                for table in projection.tables
            ):
                continue
            log.warning("projection %s: tables of an earlier version, rebuilt", projection.name)
            with self.engine.begin() as conn:
                metadata.drop_all(conn, tables=list(projection.tables), checkfirst=True)
                for bookkeeping in (projection_positions, projection_stalls):
                    conn.execute(delete(bookkeeping).where(bookkeeping.c.name == projection.name))

    def stored_positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(projection_positions.c.name, projection_positions.c.position)
            )
            return {name: position for name, position in rows if name in self.names}

    def stored_stalls(self) -> dict[str, Stall]:
        with self.engine.connect() as conn:
            return stalls.load(conn, self.names)

    @property
    def stalls(self) -> dict[str, Stall]:
        """The stalls as this runner last read or made them (no database query)."""
        return dict(self._stalls)

    def _sync(self) -> None:
        """Adopt the stored positions and stalls; a projection moved by someone else drops its
        caches."""
        stored = self.stored_positions()
        for projection in self.projections:
            if self._positions.get(projection.name) != stored.get(projection.name):
                projection.discard()
        self._positions = stored
        self._stalls = self.stored_stalls()
        self._synced_at = time.monotonic()

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def status(self) -> list[ProjectionStatus]:
        positions = self.stored_positions()
        stalled = self.stored_stalls()
        head = self.head()
        return [
            ProjectionStatus.of(
                name, positions.get(name, 0), head, stalled.get(name), last_error=self.error
            )
            for name in self.names
        ]

    def _active(self) -> list[Projection]:
        """The projections to run: those not stalled, and those being retried."""
        return [
            p for p in self.projections if p.name not in self._stalls or p.name in self._retrying
        ]

    # Catching up

    def catch_up(
        self, until: int | None = None, progress: Progress | None = None, fresh: bool = True
    ) -> int:
        """Process events up to ``until`` (default: the head now); the number of events read.

        ``fresh``: start from the stored positions and stalls. The follow loop passes False and
        keeps its own (this runner moves them) for up to ``max_poll_interval`` between reads:
        a position moved meanwhile by another process (a worker, a rebuild) fails the compare
        and set of the next batch, which then re-reads them; a stall retried or skipped
        elsewhere is seen at the next read.
        """
        with self._lock:
            if fresh or time.monotonic() - self._synced_at >= self.max_poll_interval:
                self._sync()
            target = self.head() if until is None else until
            start = min((self._positions[p.name] for p in self._active()), default=target)
            total = max(0, target - start)
            done = 0
            while True:
                low = min((self._positions[p.name] for p in self._active()), default=target)
                if low >= target:
                    break
                notifications = self.recorder.select_notifications(
                    start=low, limit=self.batch_size, stop=target, inclusive_of_start=False
                )
                if not notifications:
                    break
                try:
                    self._process(notifications)
                except PositionConflict:
                    log.info("another runner moved a projection on; re-reading positions")
                    self._sync()
                    continue
                except BaseException as error:
                    self.error = stalls.describe(error)
                    raise
                done += len(notifications)
                if progress is not None:
                    progress(min(done, total), total)
            self.error = None
            return done

    def decode_all(self, notifications: Sequence[Notification]) -> list[Positioned]:
        """Decode notifications into (position, event); raise ``UndecodableEvent`` if any fails."""
        events, failure = self._decode_prefix(notifications)
        if failure is not None:
            raise failure
        return events

    def _decode_prefix(
        self, notifications: Sequence[Notification], projections: Sequence[Projection] | None = None
    ) -> tuple[list[Positioned], UndecodableEvent | None]:
        """The events before the first that cannot be decoded, and its error (if any); given
        ``projections``, only those of a type one of them handles (``_decode_into``)."""
        events: list[Positioned] = []
        try:
            self._decode_into(events, notifications, projections)
        except UndecodableEvent as failure:
            return events, failure
        return events, None

    def _decode_into(
        self,
        events: list[Positioned],
        notifications: Sequence[Notification],
        projections: Sequence[Projection] | None = None,
    ) -> None:
        """Decode into ``events``; given ``projections``, only the notifications of a type one of
        them handles (or of an unknown topic, which then fails to decode)."""
        skipped: dict[str, bool] = {}
        if self.event_class is None:
            projections = None
        for notification in notifications:
            if projections is not None:
                skip = skipped.get(notification.topic)
                if skip is None:
                    skip = skipped[notification.topic] = self._unwanted(
                        notification.topic, projections
                    )
                if skip:
                    continue
            try:
                event = self.decode(notification)
            except Exception as error:
                raise UndecodableEvent(
                    f"cannot decode the event at position {notification.id} "
                    f"(topic {notification.topic!r}): {stalls.describe(error)}",
                    notification.id,
                ) from error
            if not isinstance(event, TrailAggregate.Event):
                raise UndecodableEvent(
                    f"the event at position {notification.id} (topic {notification.topic!r}) "
                    "is not an actiontrail event",
                    notification.id,
                )
            events.append((notification.id, event))

    def _unwanted(self, topic: str, projections: Sequence[Projection]) -> bool:
        """Whether events of ``topic`` are actiontrail events that none of ``projections``
        handles (a rebuild of some projections need not decode them)."""
        if topic not in self._kinds:
            assert self.event_class is not None
            try:
                self._kinds[topic] = self.event_class(topic)
            except Exception:
                self._kinds[topic] = None  # decoding it will say what is wrong
        kind = self._kinds[topic]
        return (
            isinstance(kind, type)
            and issubclass(kind, TrailAggregate.Event)
            and not any(p.handles_type(kind) for p in projections)
        )

    def _process(self, notifications: Sequence[Notification]) -> None:
        """Apply a batch; every projection still behind an undecodable event stalls at it.

        Events that no active projection handles are not decoded (with the audit log active,
        every event is), but the positions still move past them.
        """
        events, failure = self._decode_prefix(notifications, self._active())
        through = notifications[-1].id if failure is None else failure.position - 1
        if events or failure is None:
            self._apply(events, through)
        if failure is not None:
            for projection in self._active():
                if self._positions[projection.name] < failure.position:
                    self._fail(projection, failure.position, failure)

    def _apply(self, events: list[Positioned], through: int) -> None:
        """Apply a batch (the events up to position ``through`` that are to be applied) to every
        active projection behind its end, in one transaction.

        If that fails other than by a conflict or a failure of the connection, each projection
        is given the batch alone, so that only those that cannot apply an event stall.
        """
        behind = [p for p in self._active() if self._positions[p.name] < through]
        try:
            self._write(behind, events, through)
        except PositionConflict:
            raise
        except Exception as error:
            if stalls.is_transient(error):
                raise
            log.warning("a batch failed (%s); applying it per projection", stalls.describe(error))
            for projection in behind:
                self._isolate(projection, events, through)

    def _isolate(self, projection: Projection, events: list[Positioned], through: int) -> None:
        """Apply the events to ``projection`` alone, in halves of halves where they fail, and
        stall it at the first event it cannot apply by itself; else move it to ``through``."""
        pending = [item for item in events if item[0] > self._positions[projection.name]]
        while pending:
            part = pending
            while True:
                try:
                    self._write([projection], part)
                    break
                except PositionConflict:
                    raise
                except Exception as error:
                    if stalls.is_transient(error):
                        raise
                    if len(part) == 1:
                        self._fail(projection, part[0][0], error)
                        return
                    part = part[: len(part) // 2]
            pending = pending[len(part) :]
        if self._positions[projection.name] < through:
            self._write([projection], [], through)

    def _fail(self, projection: Projection, position: int, error: BaseException) -> None:
        """``projection`` cannot apply the event at ``position``: pass it if a skip of it is
        recorded in the log, else stall there."""
        name = projection.name
        self._retrying.discard(name)
        if self.recorder.select_events(ProjectionSkip.id_for(name, position), limit=1):
            log.warning("projection %s passes the event at %d by a recorded skip", name, position)
            self._move(projection, position)
            return
        message = stalls.describe(error)
        log.error("projection %s stalled at position %d: %s", name, position, message)
        self._move(
            projection, position - 1, lambda conn: stalls.record(conn, name, position, message)
        )

    def _move(
        self,
        projection: Projection,
        position: int,
        also: Callable[[Connection], Stall] | None = None,
    ) -> None:
        """Move one projection's position (compare and set) and record or end its stall, in one
        transaction."""
        name = projection.name
        with self.write_lock(), self.engine.begin() as conn:
            self._compare_and_set(conn, name, position)
            if also is not None:
                stall = also(conn)
            elif name in self._stalls:
                stalls.clear(conn, [name])
        projection.discard()
        self._positions[name] = position
        if also is not None:
            self._stalls[name] = stall
        else:
            self._stalls.pop(name, None)
        with self._advanced:
            self._advanced.notify_all()

    def _compare_and_set(self, conn: Connection, name: str, position: int) -> None:
        moved = conn.execute(
            update(projection_positions)
            .where(
                projection_positions.c.name == name,
                projection_positions.c.position == self._positions[name],
            )
            .values(position=position)
        )
        if moved.rowcount != 1:
            raise PositionConflict(name)

    def _write(
        self, behind: list[Projection], events: list[Positioned], through: int | None = None
    ) -> None:
        """Project a batch, then write it and the new positions (``through``, by default the
        last event's) in one short transaction.

        State is loaded and events applied before the write transaction, so the database's
        write lock is held only to write. That is safe: the compare and set fails if anyone
        moved a position since, and then the batch is discarded and prepared again.
        """
        last = events[-1][0] if through is None else through
        behind = [p for p in behind if self._positions[p.name] < last]
        try:
            with self.engine.connect() as conn:
                kinds = {type(event) for _, event in events}
                for projection in behind:
                    after = self._positions[projection.name]
                    mine = self._events_for(projection, events, after, kinds)
                    projection.prepare(conn, mine)
                    for position, event in mine:
                        projection.apply(position, event)
            passed = [
                p.name
                for p in behind
                if p.name in self._stalls and self._stalls[p.name].position <= last
            ]
            with self.write_lock(), self.engine.begin() as conn:
                for projection in behind:
                    self._compare_and_set(conn, projection.name, last)
                for projection in behind:
                    projection.flush(conn, self.writer)
                if passed:
                    stalls.clear(conn, passed)
        except BaseException:
            for projection in behind:
                projection.discard()
            raise
        for projection in behind:
            self._positions[projection.name] = last
        for name in passed:
            self._stalls.pop(name, None)
            self._retrying.discard(name)
        with self._advanced:
            self._advanced.notify_all()

    @staticmethod
    def _events_for(
        projection: Projection, events: list[Positioned], after: int, kinds: set[type]
    ) -> list[Positioned]:
        """The batch's events past ``after`` of the types the projection handles (``kinds``: the
        types of the batch's events)."""
        if events and events[0][0] <= after:
            events = [item for item in events if item[0] > after]
        handled = {kind for kind in kinds if projection.handles_type(kind)}
        if len(handled) == len(kinds):
            return events
        return [item for item in events if type(item[1]) in handled]

    # Stalls

    def retry(self, names: Iterable[str] | None = None) -> dict[str, Stall | None]:
        """Try the stalled projections among ``names`` (default: all) again, and catch up.

        Answers, for each projection that was stalled, its stall now (None: it passed). Raises
        ``UnknownProjection`` for a name that is not a projection.
        """
        chosen = [p.name for p in self.select(names)]
        with self._lock:
            self._sync()
            self._retrying = {name for name in chosen if name in self._stalls}
            tried = sorted(self._retrying)
            try:
                self.catch_up()
            finally:
                self._retrying = set()
            return {name: self._stalls.get(name) for name in tried}

    # Rebuilding

    def select(self, names: Iterable[str] | None) -> list[Projection]:
        if names is None:
            return list(self.projections)
        wanted = list(names)
        unknown = [n for n in wanted if n not in self.names]
        if unknown:
            named = ", ".join(quoted(name) for name in unknown)
            raise UnknownProjection(f"unknown projections {named}; known: {', '.join(self.names)}")
        return [p for p in self.projections if p.name in wanted]

    def rebuild(
        self,
        names: Iterable[str] | None = None,
        progress: Progress | None = None,
        replaying: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> int:
        """Empty the named projections (default: all) and replay the whole log into them.

        Their secondary indexes are dropped meanwhile and built once at the end (or, after a
        crash, by the next runner's ``setup``), which is much faster than maintaining them;
        except those the projections themselves read by (``info["during_rebuild"]``). The
        replay runs inside ``replaying()`` (``infrastructure.rebuild`` pauses the garbage
        collector there).
        """
        chosen = self.select(names)
        with self._lock:
            with self.engine.begin() as conn:
                self.writer.empty(conn, [table for p in chosen for table in p.tables])
                for projection in chosen:
                    for table in projection.tables:
                        for index in table.indexes:
                            if not index.info.get("during_rebuild"):
                                conn.execute(DropIndex(index, if_exists=True))
                    conn.execute(
                        update(projection_positions)
                        .where(projection_positions.c.name == projection.name)
                        .values(position=0)
                    )
                stalls.clear(conn, [projection.name for projection in chosen])
            for projection in chosen:
                projection.discard()
            try:
                with replaying():
                    return self.catch_up(progress=progress)
            finally:
                self._create_indexes(chosen)
                self._analyze(chosen)

    @property
    def _schema(self) -> str | None:
        """The schema the engine maps the tables to (None: the default)."""
        schema: str | None = (
            self.engine.get_execution_options().get("schema_translate_map", {}).get(None)
        )
        return schema

    def _qualified(self, name: str) -> str:
        """``name`` (a table, index or statistics object) quoted, in the tables' schema."""
        quote = self.engine.dialect.identifier_preparer.quote
        return f"{quote(self._schema)}.{quote(name)}" if self._schema else quote(name)

    def _analyze(self, projections: Iterable[Projection]) -> None:
        """Gather the planner's statistics of the rebuilt tables (``ANALYZE``, both stores), so
        the reports' plans are not made on the empty tables' (PostgreSQL's autovacuum would
        come to them later; SQLite keeps none until asked). On PostgreSQL ``VACUUM (ANALYZE)``
        (outside a transaction, as it must be): it also marks the new pages all-visible, without
        which the planner costs an index-only scan as reading the table too and scans it all
        instead (a year's attendance at 1M events: 130 ms, 73 ms after; about 1.5 s more)."""
        vacuum = self.engine.dialect.name == "postgresql"
        statement = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
        with self.write_lock(), self.engine.connect() as conn:
            if vacuum:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            for projection in projections:
                for table in projection.tables:
                    conn.execute(text(f"{statement} {self._qualified(table.name)}"))
            conn.commit()

    def _create_indexes(self, projections: Iterable[Projection]) -> None:
        """Create missing indexes (a rebuild drops them while it inserts, then makes them), drop
        those of earlier versions (``RETIRED_INDEXES``) and, on PostgreSQL, create the tables'
        extended statistics (``info["statistics"]``; SQLite has none)."""
        with self.engine.begin() as conn:
            for name in RETIRED_INDEXES:
                conn.execute(text(f"DROP INDEX IF EXISTS {self._qualified(name)}"))
            for projection in projections:
                for table in projection.tables:
                    for index in table.indexes:
                        conn.execute(CreateIndex(index, if_not_exists=True))
                    if self.engine.dialect.name == "postgresql":
                        self._create_statistics(conn, table)

    def _create_statistics(self, conn: Connection, table: Table) -> None:
        """PostgreSQL's extended statistics of ``table`` that are missing, gathered at once."""
        quote = self.engine.dialect.identifier_preparer.quote
        for name, columns in table.info.get("statistics", {}).items():
            found = conn.execute(
                text(
                    "SELECT 1 FROM pg_statistic_ext s JOIN pg_namespace n "
                    "ON n.oid = s.stxnamespace WHERE s.stxname = :name AND n.nspname = :schema"
                ),
                {"name": name, "schema": self._schema or "public"},
            )
            if found.first() is not None:
                continue
            listed = ", ".join(quote(column) for column in columns)
            conn.execute(
                text(
                    f"CREATE STATISTICS IF NOT EXISTS {self._qualified(name)} (mcv) ON {listed} "
                    f"FROM {self._qualified(table.name)}"
                )
            )
            conn.execute(text(f"ANALYZE {self._qualified(table.name)}"))

    # Following

    def poke(self) -> None:
        """New events were written: look within ``settle`` seconds rather than at the next poll
        (the saves of those moments are then applied in one batch)."""
        self._wakeup.set()

    def hurry(self) -> None:
        """A reader waits for the projections: catch up now."""
        self._urgent.set()
        self._wakeup.set()

    def run_forever(self) -> None:
        """Catch up, then follow new events until ``stop``: poll with backoff, wake on ``poke``
        (after ``settle`` seconds, so that commands in quick succession are applied together
        rather than each queueing with its own batch) or at once on ``hurry``."""
        interval = 0.02
        retried = False
        while not self._stopping.is_set():
            try:
                if not retried:
                    self.retry()  # once per start: new code or settings may now pass a stall
                    retried = True
                self._urgent.clear()
                done = self.catch_up(fresh=False)
                if done >= self.batch_size:
                    continue  # far behind: no pause between full batches
                interval = 0.02 if done else min(interval * 2, self.max_poll_interval)
            except Exception:
                log.exception("projection runner failed; retrying")
                interval = self.max_poll_interval * 5
            self._wakeup.wait(interval)
            self._wakeup.clear()
            self._urgent.wait(self.settle)

    def start(self) -> None:
        """Run the follow loop in a background thread (inside a server process)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self.run_forever, name="projection-runner", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wakeup.set()
        self._urgent.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def reached(
        self, position: int, stored: bool = False, names: Iterable[str] | None = None
    ) -> bool:
        """Whether the projections ``names`` (default: all) have reached ``position``
        (``stored``: ask the database). Raises ``ProjectionStalled`` if one of them is stalled
        before it."""
        wanted = self.names if names is None else list(names)
        if stored:
            positions, stalled = self.stored_positions(), self.stored_stalls()
        else:
            positions, stalled = self._positions, self._stalls
        blocked = {
            name: (stalled[name].position, stalled[name].error)
            for name in wanted
            if name in stalled and positions.get(name, 0) < position
        }
        if blocked:
            raise ProjectionStalled(blocked)
        return _all_at(position, wanted, positions)

    def wait_for(
        self, position: int, timeout: float = 10.0, names: Iterable[str] | None = None
    ) -> bool:
        """Wait until the projections ``names`` (default: all) have reached ``position`` (read
        your writes).

        With the background thread running it is woken and awaited; otherwise the caller's
        thread catches up itself. False when the time is up first; ``ProjectionStalled`` as
        soon as the database says one of them is stalled before ``position`` (a stall this
        runner still remembers may have been retried or skipped by another process).
        """
        wanted = self.names if names is None else list(names)
        deadline = time.monotonic() + timeout
        while not _all_at(position, wanted, self._positions):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self.reached(position, stored=True, names=wanted)
            if self.running:
                self.hurry()
                with self._advanced:
                    self._advanced.wait(min(remaining, 0.05))
            elif self._lock.acquire(timeout=remaining):
                try:
                    self.catch_up(until=max(position, self.head()))
                finally:
                    self._lock.release()
            if self.reached(position, stored=True, names=wanted):
                return True
        return True


def _all_at(position: int, names: Iterable[str], positions: dict[str, int]) -> bool:
    return min((positions.get(name, 0) for name in names), default=0) >= position
