"""Stalls: a projection that cannot apply an event stops just before it, visibly.

The stall is stored (``projection_stalls``) beside the positions, so every process sees it:
the projection's name, the position of the event, a short error (type and first line of the
message; never SQL or its parameters, which may hold personal data) and since when. The other
projections go on. A stall ends when the projection passes the event: on a retry (an operator's
``projections retry``, or once when a follow loop starts), or by a skip recorded in the log
(``domain.projection_skip``), in the same transaction that moves its position on.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy import exc as sa

from domain.clock import utc_now
from projections.tables import projection_stalls

MAX_ERROR = 300

#: Failures of the database connection rather than of an event: the runner backs off and tries
#: the batch again instead of stalling a projection.
TRANSIENT: tuple[type[BaseException], ...] = (
    sa.OperationalError,
    sa.InterfaceError,
    sa.DisconnectionError,
    sa.TimeoutError,
    ConnectionError,
    TimeoutError,
)


@dataclass(frozen=True)
class Stall:
    position: int
    error: str
    since: datetime


def is_transient(error: BaseException) -> bool:
    if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, TRANSIENT)


def describe(error: BaseException) -> str:
    """The error's type and the first line of its message, shortened."""
    cause: BaseException = error
    if isinstance(error, sa.StatementError) and isinstance(error.orig, BaseException):
        cause = error.orig
    lines = str(cause).strip().splitlines()
    text = f"{type(cause).__name__}: {lines[0]}" if lines else type(cause).__name__
    return text if len(text) <= MAX_ERROR else text[: MAX_ERROR - 1] + "…"


def load(conn: Connection, names: list[str]) -> dict[str, Stall]:
    rows = conn.execute(select(projection_stalls).where(projection_stalls.c.name.in_(names)))
    return {
        row.name: Stall(position=row.position, error=row.error, since=row.since) for row in rows
    }


def record(conn: Connection, name: str, position: int, error: str) -> Stall:
    """Store the stall of ``name`` at ``position``; a stall at the same event keeps its start."""
    existing = load(conn, [name]).get(name)
    if existing is not None and existing.position == position:
        conn.execute(
            update(projection_stalls).where(projection_stalls.c.name == name).values(error=error)
        )
        return Stall(position, error, existing.since)
    stall = Stall(position, error, utc_now())
    clear(conn, [name])
    conn.execute(
        insert(projection_stalls).values(
            name=name, position=position, error=error, since=stall.since
        )
    )
    return stall


def clear(conn: Connection, names: list[str]) -> None:
    conn.execute(delete(projection_stalls).where(projection_stalls.c.name.in_(names)))
