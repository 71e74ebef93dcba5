"""Governance's work queue: agency submissions waiting for a decision, oldest first.

A submission is one ``kind`` of item on one action: today ``due-date-proposal`` (an agency's
proposed due date, until governance accepts or declines it, or a later proposal supersedes it).
Each (action, kind) has at most one item waiting; the projection keeps it as a versioned row of
``rm_work_queue`` while it waits and closes it when it is decided. Another kind (a completion
submitted for verification) is another pair of handlers: its submission puts the row, its
decision clears it.

The queue lists the items of actions open now (the last segment of the current timeline of
``rm_action_segments``: the same "now" as the lists), so an item of an action completed or
cancelled meanwhile leaves the queue, and comes back if the action is reopened.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, select

from domain.action import AgencyAction
from domain.calendar import WorkingDayCalendar
from domain.clock import london_date
from domain.codes import ActionStatus
from projections.base import (
    CACHED_AGGREGATES,
    Positioned,
    Projection,
    VersionedRows,
    created_and_touched,
)
from projections.models import QueueItem, WorkQueue
from projections.sealing import PLAIN, Sealer
from projections.tables import action_segments, work_queue
from projections.writing import RowWriter

DUE_DATE_PROPOSAL = "due-date-proposal"
#: The kinds of item the queue holds (a later one: ``completion``).
KINDS = (DUE_DATE_PROPOSAL,)


class QueueProjection(Projection):
    name = "work_queue"
    tables = (work_queue,)
    #: It reads only the few events of submissions and decisions.
    rebuild_weight = 0

    def __init__(self, sealer: Sealer = PLAIN, max_actions: int = CACHED_AGGREGATES) -> None:
        self.items = VersionedRows(work_queue, ("action_id", "kind"), max_actions)
        super().__init__(sealer)

    def register(self) -> None:
        self.handlers = {
            AgencyAction.DueDateProposed: self._proposed,
            AgencyAction.DueDateProposalAccepted: self._decided,
            AgencyAction.DueDateProposalDeclined: self._decided,
        }

    def prepare(self, conn: Connection, events: Sequence[Positioned]) -> None:
        _, touched = created_and_touched(events, self.handles)
        # No event of this projection creates an action: every action is loaded (or found
        # without an item).
        self.items.ensure_loaded(conn, touched, set())

    def _proposed(self, position: int, event: AgencyAction.DueDateProposed) -> None:
        row = {
            "action_id": event.originator_id,
            "kind": DUE_DATE_PROPOSAL,
            "submitted_at": event.timestamp,
            "submitted_by": event.actor.user_id,
            "submitted_position": position,
            "due_on": event.due_on,
            "effective_on": event.effective_on,
        }
        self._put(position, event, [row])

    def _decided(self, position: int, event: Any) -> None:
        self._put(position, event, [])

    def _put(self, position: int, event: Any, rows: list[dict[str, Any]]) -> None:
        key = (event.originator_id, DUE_DATE_PROPOSAL)
        self.items.put(key, rows, event.timestamp, position)

    def flush(self, conn: Connection, writer: RowWriter) -> None:
        self.items.flush(conn, writer)

    def discard(self) -> None:
        self.items.discard()


def query_work_queue(
    conn: Connection, calendar: WorkingDayCalendar, today: date, sealer: Sealer = PLAIN
) -> WorkQueue:
    """The items waiting now, oldest first, on actions open now."""
    q, s = work_queue, action_segments
    statement = (
        select(
            q.c.kind,
            q.c.action_id,
            q.c.submitted_at,
            q.c.submitted_by,
            q.c.due_on.label("proposed_due_on"),
            q.c.effective_on,
            s.c.agency,
            s.c.due_on,
            s.c.description,
        )
        .join(
            s,
            and_(
                s.c.action_id == q.c.action_id,
                s.c.recorded_to.is_(None),
                s.c.valid_to.is_(None),
            ),
        )
        .where(q.c.recorded_to.is_(None), s.c.status == ActionStatus.OPEN.value)
        .order_by(q.c.submitted_at, q.c.submitted_position)
    )
    items = [
        QueueItem.of_row(
            row,
            description=sealer.open(row["description"]),
            working_days_waiting=max(
                0, calendar.working_days_between(london_date(row["submitted_at"]), today)
            ),
        )
        for row in conn.execute(statement).mappings()
    ]
    return WorkQueue(as_of=today, items=items)
