"""Applying a batch of the log to the projections, exactly once, stalling only those that fail.

A batch's read-model rows and the projections' new positions are written in one transaction,
which starts by moving each position from the value the batch was prepared for (compare and
set): a crash rolls the whole batch back, and a rival runner loses the compare and set
(``PositionConflict``) and re-reads instead of applying a batch twice.

When a batch fails other than by a conflict or a failure of the connection, it is applied again
to each projection alone, in ever smaller parts, to find the one event it cannot apply; that
projection stalls just before it (``projections.stalls``), or passes it by a skip recorded in
the log (``domain.projection_skip``), and the others carry on.
"""

import logging
from collections.abc import Callable, Sequence

from eventsourcing.persistence import ApplicationRecorder, Notification
from sqlalchemy import Connection, Engine

from domain.projection_skip import ProjectionSkip
from projections import stalls
from projections.base import Positioned, Projection
from projections.errors import PositionConflict
from projections.runner.decoding import EventDecoder
from projections.runner.positions import Positions
from projections.runner.settings import RunnerSettings
from projections.stalls import Stall

log = logging.getLogger(__name__)


class BatchApplier:
    """Applies batches of notifications to the projections of ``positions`` and moves them."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        engine: Engine,
        decoder: EventDecoder,
        positions: Positions,
        settings: RunnerSettings,
    ) -> None:
        self.recorder = recorder
        self.engine = engine
        self.decoder = decoder
        self.positions = positions
        self.writer = settings.writer
        self.write_lock = settings.write_lock

    def process(self, notifications: Sequence[Notification]) -> None:
        """Apply a batch; every projection still behind an undecodable event stalls at it.

        Events that no active projection handles are not decoded (with the audit log active,
        every event is), but the positions still move past them.
        """
        events, failure = self.decoder.decode_prefix(notifications, self.positions.active())
        through = notifications[-1].id if failure is None else failure.position - 1
        if events or failure is None:
            self._apply(events, through)
        if failure is not None:
            for projection in self.positions.active():
                if self.positions.at[projection.name] < failure.position:
                    self._fail(projection, failure.position, failure)

    def _apply(self, events: list[Positioned], through: int) -> None:
        """Apply a batch (the events up to position ``through`` that are to be applied) to every
        active projection behind its end, in one transaction.

        If that fails other than by a conflict or a failure of the connection, each projection
        is given the batch alone, so that only those that cannot apply an event stall.
        """
        behind = [p for p in self.positions.active() if self.positions.at[p.name] < through]
        try:
            self.write(behind, events, through)
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
        pending = [item for item in events if item[0] > self.positions.at[projection.name]]
        while pending:
            part = pending
            while True:
                try:
                    self.write([projection], part)
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
        if self.positions.at[projection.name] < through:
            self.write([projection], [], through)

    def _fail(self, projection: Projection, position: int, error: BaseException) -> None:
        """``projection`` cannot apply the event at ``position``: pass it if a skip of it is
        recorded in the log, else stall there."""
        name = projection.name
        self.positions.retrying.discard(name)
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
        positions = self.positions
        with self.write_lock(), self.engine.begin() as conn:
            positions.compare_and_set(conn, name, position)
            if also is not None:
                stall = also(conn)
            elif name in positions.stalls:
                stalls.clear(conn, [name])
        projection.discard()
        positions.at[name] = position
        if also is not None:
            positions.stalls[name] = stall
        else:
            positions.stalls.pop(name, None)
        positions.announce()

    def write(
        self, behind: list[Projection], events: list[Positioned], through: int | None = None
    ) -> None:
        """Project a batch, then write it and the new positions (``through``, by default the
        last event's) in one short transaction.

        State is loaded and events applied before the write transaction, so the database's
        write lock is held only to write. That is safe: the compare and set fails if anyone
        moved a position since, and then the batch is discarded and prepared again.
        """
        positions = self.positions
        last = events[-1][0] if through is None else through
        behind = [p for p in behind if positions.at[p.name] < last]
        try:
            with self.engine.connect() as conn:
                kinds = {type(event) for _, event in events}
                for projection in behind:
                    after = positions.at[projection.name]
                    mine = events_for(projection, events, after, kinds)
                    projection.prepare(conn, mine)
                    for position, event in mine:
                        projection.apply(position, event)
            passed = [
                p.name
                for p in behind
                if p.name in positions.stalls and positions.stalls[p.name].position <= last
            ]
            with self.write_lock(), self.engine.begin() as conn:
                for projection in behind:
                    positions.compare_and_set(conn, projection.name, last)
                for projection in behind:
                    projection.flush(conn, self.writer)
                if passed:
                    stalls.clear(conn, passed)
        except BaseException:
            for projection in behind:
                projection.discard()
            raise
        for projection in behind:
            positions.at[projection.name] = last
        for name in passed:
            positions.stalls.pop(name, None)
            positions.retrying.discard(name)
        positions.announce()


def events_for(
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
