"""``ProjectionRunner``: the runner's parts put together (see ``projections.runner``), with catching
up, retries of stalls and rebuilds."""

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext

from eventsourcing.persistence import ApplicationRecorder, Notification
from sqlalchemy import Engine, update

from domain.text import quoted
from projections import stalls
from projections.audit_log import AuditLogProjection
from projections.base import Positioned, Projection
from projections.errors import PositionConflict, UnknownProjection
from projections.meetings import MeetingsProjection
from projections.models import ProjectionStatus
from projections.overdue import OverdueProjection
from projections.quality import QualityProjection
from projections.queue import QueueProjection
from projections.responses import ResponsesProjection
from projections.runner.batches import BatchApplier
from projections.runner.decoding import EventDecoder
from projections.runner.following import Follower
from projections.runner.positions import Positions
from projections.runner.schema import SchemaUpkeep
from projections.runner.settings import Decode, Progress, RunnerSettings
from projections.sealing import PLAIN, Sealer
from projections.stalls import Stall
from projections.tables import projection_positions

log = logging.getLogger(__name__)

DEFAULT_SETTINGS = RunnerSettings()


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
    """Keeps the read models of ``projections`` (default: all) up to date with the recorder's
    log, on ``engine``.

    ``decode`` turns a notification into its event (the library's mapper, or a fast path of
    ``infrastructure.storage.fastpaths``); ``settings`` say how batches are read, written and
    followed.
    """

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Decode,
        engine: Engine,
        projections: Sequence[Projection] | None = None,
        settings: RunnerSettings = DEFAULT_SETTINGS,
    ) -> None:
        self.recorder = recorder
        self.engine = engine
        self.settings = settings
        self.projections = list(projections) if projections is not None else all_projections()
        #: The last failure of a catch-up (None once one succeeds).
        self.error: str | None = None
        self.upkeep = SchemaUpkeep(engine, settings.write_lock)
        self.positions = Positions(engine, self.projections)
        self.decoder = EventDecoder(decode, settings.event_class)
        self.batches = BatchApplier(recorder, engine, self.decoder, self.positions, settings)
        #: Held by whoever catches up, retries or rebuilds.
        self.lock = threading.RLock()
        self.follower = Follower(self, self.lock)
        self.setup()

    @property
    def names(self) -> list[str]:
        return self.positions.names

    def setup(self) -> None:
        """Create the tables (if missing) and a position row for each projection, holding
        ``settings.setup_lock``."""
        with self.settings.setup_lock():
            self.upkeep.create(self.projections)
            self.positions.create_missing()
            self.positions.sync()

    def stored_positions(self) -> dict[str, int]:
        return self.positions.stored()

    def stored_stalls(self) -> dict[str, Stall]:
        return self.positions.stored_stalls()

    @property
    def stalls(self) -> dict[str, Stall]:
        """The stalls as this runner last read or made them (no database query)."""
        return dict(self.positions.stalls)

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

    def decode_all(self, notifications: Sequence[Notification]) -> list[Positioned]:
        """Decode notifications into (position, event); raise ``UndecodableEvent`` if any fails."""
        return self.decoder.decode_all(notifications)

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
        positions = self.positions
        with self.lock:
            if fresh or positions.older_than(self.settings.max_poll_interval):
                positions.sync()
            target = self.head() if until is None else until
            start = min((positions.at[p.name] for p in positions.active()), default=target)
            total = max(0, target - start)
            done = 0
            while True:
                low = min((positions.at[p.name] for p in positions.active()), default=target)
                if low >= target:
                    break
                notifications = self.recorder.select_notifications(
                    start=low, limit=self.settings.batch_size, stop=target, inclusive_of_start=False
                )
                if not notifications:
                    break
                try:
                    self.batches.process(notifications)
                except PositionConflict:
                    log.info("another runner moved a projection on; re-reading positions")
                    positions.sync()
                    continue
                except BaseException as error:
                    self.error = stalls.describe(error)
                    raise
                done += len(notifications)
                if progress is not None:
                    progress(min(done, total), total)
            self.error = None
            return done

    def retry(self, names: Iterable[str] | None = None) -> dict[str, Stall | None]:
        """Try the stalled projections among ``names`` (default: all) again, and catch up.

        Answers, for each projection that was stalled, its stall now (None: it passed). Raises
        ``UnknownProjection`` for a name that is not a projection.
        """
        chosen = [p.name for p in self.select(names)]
        positions = self.positions
        with self.lock:
            positions.sync()
            positions.retrying = {name for name in chosen if name in positions.stalls}
            tried = sorted(positions.retrying)
            try:
                self.catch_up()
            finally:
                positions.retrying = set()
            return {name: positions.stalls.get(name) for name in tried}

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
        with self.lock:
            with self.engine.begin() as conn:
                self.settings.writer.empty(conn, [table for p in chosen for table in p.tables])
                self.upkeep.drop_indexes_for_rebuild(conn, chosen)
                conn.execute(
                    update(projection_positions)
                    .where(projection_positions.c.name.in_([p.name for p in chosen]))
                    .values(position=0)
                )
                stalls.clear(conn, [projection.name for projection in chosen])
            for projection in chosen:
                projection.discard()
            try:
                with replaying():
                    return self.catch_up(progress=progress)
            finally:
                self.upkeep.create_indexes(chosen)
                self.upkeep.analyze(chosen)

    # Following (see ``following``)

    def poke(self) -> None:
        self.follower.poke()

    def hurry(self) -> None:
        self.follower.hurry()

    def run_forever(self) -> None:
        self.follower.run_forever()

    def start(self) -> None:
        self.follower.start()

    def stop(self, timeout: float = 10.0) -> None:
        self.follower.stop(timeout)

    @property
    def running(self) -> bool:
        return self.follower.running

    def reached(
        self, position: int, stored: bool = False, names: Iterable[str] | None = None
    ) -> bool:
        """Whether the projections ``names`` (default: all) have reached ``position``
        (``stored``: ask the database). Raises ``ProjectionStalled`` if one of them is stalled
        before it."""
        wanted = self.names if names is None else list(names)
        return self.positions.reached(position, wanted, stored)

    def wait_for(
        self, position: int, timeout: float = 10.0, names: Iterable[str] | None = None
    ) -> bool:
        return self.follower.wait_for(position, timeout, names)
