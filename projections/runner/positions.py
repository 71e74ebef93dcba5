"""Where each projection stands in the log: its position and its stall, as stored and as the
runner last read or moved them."""

import threading
import time
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from projections import stalls
from projections.base import Projection
from projections.errors import PositionConflict, ProjectionStalled
from projections.stalls import Stall
from projections.tables import projection_positions


class Positions:
    """The positions and stalls of ``projections``.

    ``at`` and ``stalls`` are this runner's copies (read by ``sync``, moved by the batches it
    writes); ``retrying`` names the stalled projections being tried again; ``advanced`` is
    notified whenever a position moves (read-your-writes waits wait on it).
    """

    def __init__(self, engine: Engine, projections: Sequence[Projection]) -> None:
        self.engine = engine
        self.projections = projections
        self.names = [p.name for p in projections]
        self.at: dict[str, int] = {}
        self.stalls: dict[str, Stall] = {}
        self.retrying: set[str] = set()
        self.advanced = threading.Condition()
        self._synced_at = float("-inf")

    def create_missing(self) -> None:
        """A position row (at 0) for each projection that has none."""
        stored = self.stored()
        for name in self.names:
            if name not in stored:
                try:
                    with self.engine.begin() as conn:
                        conn.execute(insert(projection_positions).values(name=name, position=0))
                except IntegrityError:
                    pass  # another runner created it meanwhile

    def stored(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(projection_positions.c.name, projection_positions.c.position)
            )
            return {name: position for name, position in rows if name in self.names}

    def stored_stalls(self) -> dict[str, Stall]:
        with self.engine.connect() as conn:
            return stalls.load(conn, self.names)

    def sync(self) -> None:
        """Adopt the stored positions and stalls; a projection moved by someone else drops its
        caches."""
        stored = self.stored()
        for projection in self.projections:
            if self.at.get(projection.name) != stored.get(projection.name):
                projection.discard()
        self.at = stored
        self.stalls = self.stored_stalls()
        self._synced_at = time.monotonic()

    def older_than(self, seconds: float) -> bool:
        """Whether the copies were read from the database ``seconds`` ago or more."""
        return time.monotonic() - self._synced_at >= seconds

    def active(self) -> list[Projection]:
        """The projections to run: those not stalled, and those being retried."""
        return [p for p in self.projections if p.name not in self.stalls or p.name in self.retrying]

    def compare_and_set(self, conn: Connection, name: str, position: int) -> None:
        """Move ``name``'s stored position from this runner's copy to ``position``; raise
        ``PositionConflict`` if someone else moved it meanwhile."""
        moved = conn.execute(
            update(projection_positions)
            .where(
                projection_positions.c.name == name,
                projection_positions.c.position == self.at[name],
            )
            .values(position=position)
        )
        if moved.rowcount != 1:
            raise PositionConflict(name)

    def announce(self) -> None:
        """Wake those waiting for a position to move."""
        with self.advanced:
            self.advanced.notify_all()

    def reached(self, position: int, names: Sequence[str], stored: bool = False) -> bool:
        """Whether the projections ``names`` have reached ``position`` (``stored``: ask the
        database). Raises ``ProjectionStalled`` if one of them is stalled before it."""
        if stored:
            at, stalled = self.stored(), self.stored_stalls()
        else:
            at, stalled = self.at, self.stalls
        blocked = {
            name: (stalled[name].position, stalled[name].error)
            for name in names
            if name in stalled and at.get(name, 0) < position
        }
        if blocked:
            raise ProjectionStalled(blocked)
        return all_at(position, names, at)


def all_at(position: int, names: Iterable[str], positions: dict[str, int]) -> bool:
    return min((positions.get(name, 0) for name in names), default=0) >= position
