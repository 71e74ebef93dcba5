"""Overdue actions: each action's effective-time timeline, versioned in recorded time.

An action's timeline is a list of segments ``[valid_from, valid_to)`` of London dates, each with
the status, agency, due date and number of revisions in force. Transitions apply in recorded
order, each at its effective date: assignment, revision, reassignment, cancellation and reopening
at the London date they were recorded; completion at its ``completed_on``. A transition dated
before the previous one takes effect at the previous one's date (the timeline never runs
backwards). Each event that changes the timeline closes the current version (``recorded_to``)
and opens a new one, so "as known at T" is a WHERE clause.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, or_, select

from domain.action import AgencyAction
from domain.calendar import WorkingDayCalendar
from domain.clock import as_utc, london_date
from domain.codes import ActionStatus
from projections.base import (
    Positioned,
    Projection,
    Row,
    VersionedRows,
    created_and_touched,
    known_at,
)
from projections.models import OverdueAction, OverdueActions
from projections.sealing import PLAIN, Sealer
from projections.tables import action_segments

SEGMENT_BOUNDS = ("valid_from", "valid_to")


def transition(segments: list[Row], effective: date, changes: Row) -> list[Row]:
    """The timeline with ``changes`` in force from ``effective`` on (segments are never mutated)."""
    last = segments[-1]
    effective = max(effective, last["valid_from"])
    new = {**last, **changes, "valid_from": effective, "valid_to": None}
    if effective == last["valid_from"]:
        result = [*segments[:-1], new]
    else:
        result = [*segments[:-1], {**last, "valid_to": effective}, new]
    if len(result) >= 2:
        before = result[-2]
        if all(before[k] == new[k] for k in new if k not in SEGMENT_BOUNDS):
            result = [*result[:-2], {**before, "valid_to": None}]
    return result


class OverdueProjection(Projection):
    name = "overdue_actions"
    tables = (action_segments,)

    def __init__(self, sealer: Sealer = PLAIN) -> None:
        self.versions = VersionedRows(action_segments, ("action_id",))
        super().__init__(sealer)

    def register(self) -> None:
        self.handlers = {
            AgencyAction.Assigned: self._assigned,
            AgencyAction.DueDateRevised: self._revised,
            AgencyAction.Reassigned: self._reassigned,
            AgencyAction.Completed: self._completed,
            AgencyAction.Cancelled: self._cancelled,
            AgencyAction.Reopened: self._reopened,
        }

    def prepare(self, conn: Connection, events: Sequence[Positioned]) -> None:
        created, touched = created_and_touched(events, self.handles)
        self.versions.ensure_loaded(conn, touched, created)

    def _segments(self, action_id: UUID) -> list[Row]:
        version = self.versions.current((action_id,))
        assert version is not None, f"no timeline for action {action_id}"
        return sorted(version.rows, key=lambda row: row["valid_from"])

    def _change(self, position: int, event: Any, effective: date, changes: Row) -> None:
        segments = transition(self._segments(event.originator_id), effective, changes)
        self.versions.put((event.originator_id,), segments, event.timestamp, position)

    def _assigned(self, position: int, event: AgencyAction.Assigned) -> None:
        row = {
            "action_id": event.originator_id,
            "valid_from": london_date(event.timestamp),
            "valid_to": None,
            "status": ActionStatus.OPEN.value,
            "agency": event.agency,
            "due_on": event.due_on,
            "revisions": 0,
            "completed_on": None,
            "original_due_on": event.due_on,
            "owner_role": event.owner_role,
            "description": event.description,
            "source_kind": event.source.kind.value,
            "source_ref": event.source.ref,
        }
        row = self.sealer.row(action_segments, row)
        self.versions.put((event.originator_id,), [row], event.timestamp, position)

    def _revised(self, position: int, event: AgencyAction.DueDateRevised) -> None:
        revisions = self._segments(event.originator_id)[-1]["revisions"] + 1
        self._change(
            position,
            event,
            london_date(event.timestamp),
            {"due_on": event.due_on, "revisions": revisions},
        )

    def _reassigned(self, position: int, event: AgencyAction.Reassigned) -> None:
        self._change(position, event, london_date(event.timestamp), {"agency": event.agency})

    def _completed(self, position: int, event: AgencyAction.Completed) -> None:
        self._change(
            position,
            event,
            event.completed_on,
            {"status": ActionStatus.COMPLETED.value, "completed_on": event.completed_on},
        )

    def _cancelled(self, position: int, event: AgencyAction.Cancelled) -> None:
        self._change(
            position,
            event,
            london_date(event.timestamp),
            {"status": ActionStatus.CANCELLED.value},
        )

    def _reopened(self, position: int, event: AgencyAction.Reopened) -> None:
        self._change(
            position,
            event,
            london_date(event.timestamp),
            {"status": ActionStatus.OPEN.value, "completed_on": None},
        )

    def flush(self, conn: Connection) -> None:
        self.versions.flush(conn)

    def discard(self) -> None:
        self.versions.discard()


def query_overdue_actions(
    conn: Connection,
    calendar: WorkingDayCalendar,
    as_of: date,
    agency: str | None = None,
    known_at_time: datetime | None = None,
    sealer: Sealer = PLAIN,
) -> OverdueActions:
    """Actions open as of ``as_of`` whose due date in force then is before it."""
    t = action_segments
    statement = select(t).where(
        known_at(t, known_at_time),
        t.c.valid_from <= as_of,
        or_(t.c.valid_to.is_(None), t.c.valid_to > as_of),
        t.c.status == ActionStatus.OPEN.value,
        t.c.due_on < as_of,
    )
    if agency is not None:
        statement = statement.where(t.c.agency == agency)
    statement = statement.order_by(t.c.due_on, t.c.action_id)
    rows = [
        OverdueAction(
            action_id=row["action_id"],
            agency=row["agency"],
            owner_role=sealer.open(row["owner_role"]),
            description=sealer.open(row["description"]),
            source_kind=row["source_kind"],
            source_ref=sealer.open(row["source_ref"]),
            original_due_on=row["original_due_on"],
            due_on=row["due_on"],
            days_overdue=(as_of - row["due_on"]).days,
            working_days_overdue=calendar.working_days_between(row["due_on"], as_of),
            revisions=row["revisions"],
        )
        for row in conn.execute(statement).mappings()
    ]
    return OverdueActions(
        as_of=as_of,
        known_at=as_utc(known_at_time) if known_at_time else None,
        agency=agency,
        rows=rows,
    )
