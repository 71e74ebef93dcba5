"""Audit log: every event, filterable by aggregate, actor, agency, event type and recorded time.

With a cipher the table leaves each event's data out (JSON ``null``): it holds case references
and free text, so the audit log reads it from the encrypted events instead (``EventData``).
"""

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, RowMapping, or_, select

from domain.codes import Role
from domain.events import BASE_FIELDS, TrailAggregate, as_json
from projections.base import Event, Positioned, Projection, Row
from projections.bulk import insert_values, sqlite_moment
from projections.errors import UnsealableText
from projections.models import ActorView, LogEntry, LogPage
from projections.sealing import PLAIN, Sealer
from projections.tables import audit_log

EventData = Callable[[Sequence[int]], Mapping[int, dict[str, Any]]]
"""The data of the events at these positions, by position."""

MAX_PAGE = 1000

_BASE = TrailAggregate.Event


_encode = json.JSONEncoder(default=as_json).encode


def data_json(event: TrailAggregate.Event) -> str:
    """``json.dumps(event.data_as_json())``, in one pass of the C encoder (a rebuild does it for
    every event of the log)."""
    kind = type(event)
    if kind.data_as_json is not _BASE.data_as_json or kind.data is not _BASE.data:
        return json.dumps(event.data_as_json())
    return _encode({k: v for k, v in event.__dict__.items() if k not in BASE_FIELDS})


def entry_of(event: TrailAggregate.Event, position: int) -> LogEntry:
    """The log entry of an event, built with the same domain helpers as the history view."""
    return LogEntry(
        position=position,
        version=event.originator_version,
        type=event.type_name(),
        recorded_at=event.timestamp,
        effective=event.effective,
        actor=ActorView(user=event.actor.user_id, role=event.actor.role, agency=event.actor.agency),
        command_id=event.command_id,
        data=event.data_as_json(),
        aggregate_type=event.aggregate_type(),
        aggregate_id=event.originator_id,
    )


def row_of(event: TrailAggregate.Event, position: int) -> Row:
    """The unsealed row of an event: the reference that ``values_of`` is tested against."""
    effective = event.effective
    data = event.data_as_json()
    subject = data.get("agency")
    return {
        "position": position,
        "aggregate_id": event.originator_id,
        "aggregate_type": event.aggregate_type(),
        "version": event.originator_version,
        "type": event.type_name(),
        "recorded_at": event.timestamp,
        "effective_at": effective if isinstance(effective, datetime) else None,
        "effective_on": (
            effective
            if isinstance(effective, date) and not isinstance(effective, datetime)
            else None
        ),
        "actor_user": event.actor.user_id,
        "actor_role": event.actor.role.value,
        "actor_agency": event.actor.agency,
        "subject_agency": subject if isinstance(subject, str) else None,
        "command_id": event.command_id,
        "data": data,
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


_types: dict[type, tuple[str, str]] = {}


def values_of(
    event: TrailAggregate.Event, position: int, sqlite: bool, with_data: bool = True
) -> tuple[Any, ...]:
    """``row_of`` as the database's values (see ``bulk.insert_values``), without the dict;
    ``data`` JSON ``null`` unless ``with_data``."""
    kind = type(event)
    names = _types.get(kind)
    if names is None:
        names = _types[kind] = (event.aggregate_type(), event.type_name())
    effective = event.effective
    effective_at = effective if isinstance(effective, datetime) else None
    effective_on = effective if effective_at is None and isinstance(effective, date) else None
    subject = event.__dict__.get("agency")
    if isinstance(subject, Enum):
        subject = subject.value
    actor = event.actor
    if sqlite:
        aggregate_id: Any = event.originator_id.hex
        recorded_at: Any = sqlite_moment(event.timestamp)
        at: Any = sqlite_moment(effective_at)
        on: Any = None if effective_on is None else effective_on.isoformat()
    else:
        aggregate_id, recorded_at, at, on = (
            event.originator_id,
            event.timestamp,
            effective_at,
            effective_on,
        )
    return (
        position,
        aggregate_id,
        names[0],
        event.originator_version,
        names[1],
        recorded_at,
        at,
        on,
        actor.user_id,
        actor.role.value,
        actor.agency,
        subject if isinstance(subject, str) else None,
        event.command_id,
        data_json(event) if with_data else "null",
    )


class AuditLogProjection(Projection):
    """One row per event, built straight as the database's values when flushed; without the
    event's data when sealing."""

    name = "audit_log"
    tables = (audit_log,)
    #: One row per event: as much work as all the other projections together.
    rebuild_weight = 4

    def __init__(self, sealer: Sealer = PLAIN) -> None:
        self.events: list[Positioned] = []
        super().__init__(sealer)

    def register(self) -> None:
        """Every event of the log: ``handles`` accepts them all."""

    def handles(self, event: Event) -> bool:
        return True

    def apply(self, position: int, event: Event) -> None:
        self.events.append((position, event))

    def flush(self, conn: Connection) -> None:
        sqlite, with_data = conn.dialect.name == "sqlite", self.sealer.cipher is None
        insert_values(conn, audit_log, [values_of(e, p, sqlite, with_data) for p, e in self.events])
        self.events = []

    def discard(self) -> None:
        self.events = []


def query_audit_log(
    conn: Connection,
    *,
    aggregate_id: UUID | None = None,
    aggregate_type: str | None = None,
    user: str | None = None,
    agency: str | None = None,
    type: str | None = None,
    recorded_from: datetime | None = None,
    recorded_to: datetime | None = None,
    after: int = 0,
    limit: int = 100,
    event_data: EventData | None = None,
) -> LogPage:
    """Events oldest first, from position ``after`` (exclusive), at most ``limit`` of them.

    ``agency`` matches the actor's agency or the agency the event names (an invitation, an
    action's owner...); ``recorded_from``/``recorded_to`` bound the recorded time, inclusive.
    ``event_data``: where to read the events' data, when the table leaves it out.
    """
    limit = max(1, min(limit, MAX_PAGE))
    statement = select(audit_log).where(audit_log.c.position > after)
    if aggregate_id is not None:
        statement = statement.where(audit_log.c.aggregate_id == aggregate_id)
    if aggregate_type is not None:
        statement = statement.where(audit_log.c.aggregate_type == aggregate_type)
    if user is not None:
        statement = statement.where(audit_log.c.actor_user == user)
    if agency is not None:
        statement = statement.where(
            or_(audit_log.c.actor_agency == agency, audit_log.c.subject_agency == agency)
        )
    if type is not None:
        statement = statement.where(audit_log.c.type == type)
    if recorded_from is not None:
        statement = statement.where(audit_log.c.recorded_at >= recorded_from)
    if recorded_to is not None:
        statement = statement.where(audit_log.c.recorded_at <= recorded_to)
    statement = statement.order_by(audit_log.c.position).limit(limit)
    rows = conn.execute(statement).mappings().all()
    data = event_data([row["position"] for row in rows]) if event_data else {}
    entries = [entry_from_row(row, data.get(row["position"])) for row in rows]
    return LogPage(events=entries, next_after=entries[-1].position if entries else after)
