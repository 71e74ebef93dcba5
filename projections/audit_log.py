"""Audit log: every event, filterable by aggregate, actor, agency, event type and recorded time.

With a cipher the table leaves each event's data out (JSON ``null``): it holds case references
and free text, so the audit log reads it from the encrypted events instead (``EventData``).
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Protocol, TypeVar
from uuid import UUID

from sqlalchemy import Connection, RowMapping, func, or_, select

from domain.clock import as_utc
from domain.codes import Role
from domain.events import TrailAggregate
from projections.base import Event, Positioned, Projection
from projections.errors import UnsealableText
from projections.models import ActorView, LogEntry, LogPage, NameLookup
from projections.sealing import PLAIN, Sealer
from projections.tables import audit_log
from projections.writing import Row, RowWriter

EventData = Callable[[Sequence[int]], Mapping[int, dict[str, Any]]]
"""The data of the events at these positions, by position."""

MAX_PAGE = 1000
NO_NAMES: Mapping[str, str] = MappingProxyType({})
P = TypeVar("P", bound=Positioned)

_type_names: dict[type, tuple[str, str]] = {}


def type_names(event: TrailAggregate.Event) -> tuple[str, str]:
    """The event's aggregate type and type, worked out once per event class."""
    kind = type(event)
    names = _type_names.get(kind)
    if names is None:
        names = _type_names[kind] = (event.aggregate_type(), event.type_name())
    return names


def entry_of(
    event: TrailAggregate.Event, position: int, names: Mapping[str, str] = NO_NAMES
) -> LogEntry:
    """The log entry of an event, built with the same domain helpers as the history view; the
    actor's name from ``names`` (by user id; null if not there)."""
    aggregate_type, type_name = type_names(event)
    actor = event.actor
    return LogEntry(
        position=position,
        version=event.originator_version,
        type=type_name,
        recorded_at=event.timestamp,
        effective=event.effective,
        actor=ActorView(
            user=actor.user_id, name=names.get(actor.user_id), role=actor.role, agency=actor.agency
        ),
        command_id=event.command_id,
        data=event.data_as_json(),
        aggregate_type=aggregate_type,
        aggregate_id=event.originator_id,
    )


def entries_of(events: list[P], names: NameLookup | None = None) -> list[LogEntry]:
    """The log entries of these events, their actors named by one lookup of all their ids
    (``names``; none without it): cheaper than naming the entries once built (``with_names``
    of ``infrastructure.presentation.names``), which copies each.

    Takes the events: ``events`` is left empty, each event let go once its entry is made. A
    page of 500 then holds far fewer objects at once, and fewer of them live long enough to
    be promoted to the garbage collector's oldest generation, whose full collections (50 ms
    and more) were what set the feed's p95.
    """
    found = names({event.actor.user_id for _, event in events}) if names and events else NO_NAMES
    events.reverse()
    entries = []
    while events:
        position, event = events.pop()
        entries.append(entry_of(event, position, found))
    return entries


def row_of(event: TrailAggregate.Event, position: int, with_data: bool = True) -> Row:
    """The row of an event; its ``data`` JSON ``null`` unless ``with_data``."""
    names = type_names(event)
    effective = event.effective
    effective_at = effective if isinstance(effective, datetime) else None
    data = event.data_as_json()
    subject = data.get("agency")
    actor = event.actor
    return {
        "position": position,
        "aggregate_id": event.originator_id,
        "aggregate_type": names[0],
        "version": event.originator_version,
        "type": names[1],
        "recorded_at": event.timestamp,
        "effective_at": effective_at,
        "effective_on": effective if effective_at is None and isinstance(effective, date) else None,
        "actor_user": actor.user_id,
        "actor_role": actor.role.value,
        "actor_agency": actor.agency,
        "subject_agency": subject if isinstance(subject, str) else None,
        "command_id": event.command_id,
        "data": data if with_data else None,
    }


def entry_from_row(row: RowMapping, data: dict[str, Any] | None = None) -> LogEntry:
    """The row's entry; ``data`` (if given) instead of the row's."""
    if data is None:
        data = row["data"]
        if data is None:
            raise UnsealableText(
                "the audit log was written with a cipher key, which keeps event data out of it: "
                "configure the same ACTIONTRAIL_CIPHER_KEY"
            )
    effective: date | datetime | None = row["effective_at"] or row["effective_on"]
    return LogEntry(
        position=row["position"],
        version=row["version"],
        type=row["type"],
        recorded_at=row["recorded_at"],
        effective=effective,
        actor=ActorView(
            user=row["actor_user"], role=Role(row["actor_role"]), agency=row["actor_agency"]
        ),
        command_id=row["command_id"],
        data=data,
        aggregate_type=row["aggregate_type"],
        aggregate_id=row["aggregate_id"],
    )


class AuditLogProjection(Projection):
    """One row per event, built when flushed; without the event's data when sealing."""

    name = "audit_log"
    tables = (audit_log,)
    #: One row per event: as much work as all the other projections together.
    rebuild_weight = 4

    def __init__(self, sealer: Sealer = PLAIN) -> None:
        self.events: list[Positioned] = []
        super().__init__(sealer)

    def register(self) -> None:
        """Every event of the log: ``handles`` accepts them all."""

    def handles_type(self, kind: type) -> bool:
        return True

    def apply(self, position: int, event: Event) -> None:
        self.events.append((position, event))

    def flush(self, conn: Connection, writer: RowWriter) -> None:
        with_data = self.sealer.cipher is None
        writer.insert(conn, audit_log, [row_of(e, p, with_data) for p, e in self.events])
        self.events = []

    def discard(self) -> None:
        self.events = []


class LogFilter(Protocol):
    """What the audit log is filtered by (``application.queries.AuditLogQuery`` is one)."""

    @property
    def aggregate_id(self) -> UUID | None: ...
    @property
    def aggregate_type(self) -> str | None: ...
    @property
    def user(self) -> str | None: ...
    @property
    def agency(self) -> str | None: ...
    @property
    def type(self) -> str | None: ...
    @property
    def recorded_from(self) -> datetime | None: ...
    @property
    def recorded_to(self) -> datetime | None: ...
    @property
    def after(self) -> int: ...
    @property
    def limit(self) -> int: ...


def query_audit_log(conn: Connection, f: LogFilter, event_data: EventData | None = None) -> LogPage:
    """Events oldest first, from position ``f.after`` (exclusive), at most ``f.limit`` of them.

    ``agency`` matches the actor's agency or the agency the event names (an invitation, an
    action's owner...); ``recorded_from``/``recorded_to`` bound the recorded time, inclusive.
    ``event_data``: where to read the events' data, when the table leaves it out.
    """
    t = audit_log
    limit = max(1, min(f.limit, MAX_PAGE))
    statement = select(t).where(t.c.position > f.after)
    if f.aggregate_id is not None:
        statement = statement.where(t.c.aggregate_id == f.aggregate_id)
    if f.aggregate_type is not None:
        statement = statement.where(t.c.aggregate_type == f.aggregate_type)
    if f.user is not None:
        statement = statement.where(t.c.actor_user == f.user)
    if f.agency is not None:
        statement = statement.where(
            or_(t.c.actor_agency == f.agency, t.c.subject_agency == f.agency)
        )
    if f.type is not None:
        statement = statement.where(t.c.type == f.type)
    if f.recorded_from is not None:
        statement = statement.where(t.c.recorded_at >= f.recorded_from)
    if f.recorded_to is not None:
        statement = statement.where(t.c.recorded_at <= f.recorded_to)
    statement = statement.order_by(t.c.position).limit(limit)
    rows = conn.execute(statement).mappings().all()
    data = event_data([row["position"] for row in rows]) if event_data else {}
    entries = [entry_from_row(row, data.get(row["position"])) for row in rows]
    return LogPage(events=entries, next_after=entries[-1].position if entries else f.after)


def query_last_position_recorded_by(conn: Connection, moment: datetime) -> int:
    """The last position of the log among the events recorded by ``moment`` (0: none)."""
    t = audit_log
    statement = select(func.max(t.c.position)).where(t.c.recorded_at <= as_utc(moment))
    return int(conn.execute(statement).scalar() or 0)
