"""Overdue actions: each action's effective-time timeline, versioned in recorded time.

An action's timeline is a list of segments ``[valid_from, valid_to)`` of London dates, each with
the status, agency, due date and number of revisions in force. It starts on the day the action
was agreed (``agreed_on``). Its facts (revisions, reassignments, completions, cancellations,
reopenings) apply in the order they took effect, ties in the order recorded, each on its
effective date: ``effective_on``, or a completion's ``completed_on``. A late entry therefore
rewrites the timeline from its date on. The facts are kept in ``rm_action_facts`` so a late
entry can be replayed among them; each event that changes the timeline closes the current
version (``recorded_to``) and opens a new one, so "as known at T" is a WHERE clause.

Events of version 1 took effect when recorded (their upcast says so). They could be entered out
of order, which version 2 refuses; so a change of status never takes effect before the change
of status recorded before it, nor anything before the action was agreed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select, union_all

from domain.action import AgencyAction
from domain.calendar import WorkingDayCalendar
from domain.clock import as_utc
from domain.codes import ActionStatus
from domain.effective import effective_order
from projections.base import (
    CACHED_AGGREGATES,
    Positioned,
    Projection,
    VersionedRows,
    created_and_touched,
    keep_recent,
    known_at_ranges,
    touch,
)
from projections.models import OverdueAction, OverdueActions
from projections.sealing import PLAIN, Sealer
from projections.tables import action_facts, action_segments
from projections.writing import Row, RowWriter

SEGMENT_BOUNDS = ("valid_from", "valid_to")
STATUS_FACTS = frozenset({"completed", "cancelled", "reopened"})


@dataclass(frozen=True)
class Fact:
    """One change to an action's timeline: a row of ``rm_action_facts``."""

    position: int
    fact: str
    effective_on: date
    due_on: date | None = None
    agency: str | None = None
    completed_on: date | None = None

    def changes(self, revisions: int) -> Row:
        """What it puts in force, given the revisions in force before it."""
        if self.fact == "revised":
            return {"due_on": self.due_on, "revisions": revisions + 1}
        if self.fact == "reassigned":
            return {"agency": self.agency}
        if self.fact == "completed":
            return {"status": ActionStatus.COMPLETED.value, "completed_on": self.completed_on}
        if self.fact == "cancelled":
            return {"status": ActionStatus.CANCELLED.value}
        if self.fact == "reopened":
            return {"status": ActionStatus.OPEN.value, "completed_on": None}
        raise ValueError(f"{self.fact!r} is not a change to an action's timeline")


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


FIXED = ("action_id", "original_due_on", "agreed_on", "owner_role", "description")
FIXED_SOURCE = ("source_kind", "source_ref")


def timeline(fixed: Row, facts: Sequence[Fact]) -> list[Row]:
    """The segments of an action: its ``fixed`` columns, and its facts (the assignment first)
    applied in the order they took effect, ties in the order recorded."""
    assigned, *changes = sorted(facts, key=lambda f: effective_order(f.effective_on, f.position))
    segments = [
        {
            **fixed,
            "valid_from": assigned.effective_on,
            "valid_to": None,
            "status": ActionStatus.OPEN.value,
            "agency": assigned.agency,
            "due_on": assigned.due_on,
            "revisions": 0,
            "completed_on": None,
        }
    ]
    for fact in changes:
        segments = transition(segments, fact.effective_on, fact.changes(segments[-1]["revisions"]))
    return segments


class OverdueProjection(Projection):
    name = "overdue_actions"
    tables = (action_segments, action_facts)

    def __init__(self, sealer: Sealer = PLAIN, max_actions: int = CACHED_AGGREGATES) -> None:
        self.versions = VersionedRows(action_segments, ("action_id",), max_actions)
        self.max_actions = max_actions
        self.facts: dict[UUID, list[Fact]] = {}
        self.new_facts: list[Row] = []
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
        missing = touch(self.facts, touched)
        for action_id in missing:
            self.facts[action_id] = []
        missing = [a for a in missing if a not in created]
        f = action_facts
        for start in range(0, len(missing), 500):
            statement = (
                select(f)
                .where(f.c.action_id.in_(missing[start : start + 500]))
                .order_by(f.c.position)
            )
            for row in conn.execute(statement).mappings():
                self.facts[row["action_id"]].append(
                    Fact(
                        row["position"],
                        row["fact"],
                        row["effective_on"],
                        row["due_on"],
                        row["agency"],
                        row["completed_on"],
                    )
                )

    def _fixed(self, action_id: UUID) -> Row:
        version = self.versions.current((action_id,))
        assert version is not None, f"no timeline for action {action_id}"
        row = version.rows[0]
        return {name: row[name] for name in (*FIXED, *FIXED_SOURCE)}

    def _record(self, position: int, event: Any, fixed: Row, fact: Fact) -> None:
        facts = self.facts[event.originator_id]
        facts.append(fact)
        self.new_facts.append(
            {
                "position": fact.position,
                "action_id": event.originator_id,
                "fact": fact.fact,
                "effective_on": fact.effective_on,
                "due_on": fact.due_on,
                "agency": fact.agency,
                "completed_on": fact.completed_on,
            }
        )
        self.versions.put((event.originator_id,), timeline(fixed, facts), event.timestamp, position)

    def _change(self, position: int, event: Any, fact: str, effective: date, **values: Any) -> None:
        """A change, taking effect on ``effective`` but never before the action was agreed nor,
        for a change of status, before the change of status recorded before it (version 1)."""
        fixed = self._fixed(event.originator_id)
        effective = max(effective, fixed["agreed_on"])
        if fact in STATUS_FACTS:
            earlier = [
                f.effective_on for f in self.facts[event.originator_id] if f.fact in STATUS_FACTS
            ]
            if earlier:
                effective = max(effective, earlier[-1])
        self._record(position, event, fixed, Fact(position, fact, effective, **values))

    def _assigned(self, position: int, event: AgencyAction.Assigned) -> None:
        fixed = {
            "action_id": event.originator_id,
            "original_due_on": event.due_on,
            "agreed_on": event.agreed_on,
            "owner_role": event.owner_role,
            "description": event.description,
            "source_kind": event.source.kind.value,
            "source_ref": event.source.ref,
        }
        fixed = self.sealer.row(action_segments, fixed)
        fact = Fact(position, "assigned", event.agreed_on, due_on=event.due_on, agency=event.agency)
        self._record(position, event, fixed, fact)

    def _revised(self, position: int, event: AgencyAction.DueDateRevised) -> None:
        self._change(position, event, "revised", event.effective_on, due_on=event.due_on)

    def _reassigned(self, position: int, event: AgencyAction.Reassigned) -> None:
        self._change(position, event, "reassigned", event.effective_on, agency=event.agency)

    def _completed(self, position: int, event: AgencyAction.Completed) -> None:
        completed_on = event.completed_on
        self._change(position, event, "completed", completed_on, completed_on=completed_on)

    def _cancelled(self, position: int, event: AgencyAction.Cancelled) -> None:
        self._change(position, event, "cancelled", event.effective_on)

    def _reopened(self, position: int, event: AgencyAction.Reopened) -> None:
        self._change(position, event, "reopened", event.effective_on)

    def flush(self, conn: Connection, writer: RowWriter) -> None:
        writer.insert(conn, action_facts, self.new_facts)
        self.new_facts = []
        self.versions.flush(conn, writer)
        keep_recent(self.facts, self.max_actions)

    def discard(self) -> None:
        self.versions.discard()
        self.facts = {}
        self.new_facts = []


def query_overdue_actions(  # noqa: PLR0913 - the report's filter values, each a bound parameter of its SQL
    conn: Connection,
    calendar: WorkingDayCalendar,
    as_of: date,
    agency: str | None = None,
    known_at_time: datetime | None = None,
    sealer: Sealer = PLAIN,
) -> OverdueActions:
    """Actions open as of ``as_of`` whose due date in force then is before it."""
    t = action_segments
    # "In force on the day" (no end yet, or an end after it) and "as known at T" are each asked
    # as ranges of one index, in as many queries as they make together: planners read
    # ``x IS NULL OR x > :value`` poorly (every open segment was scanned).
    segment_ends = (t.c.valid_to.is_(None), t.c.valid_to > as_of)
    version_ends = known_at_ranges(t, known_at_time)
    columns = [
        t.c[name]
        for name in (
            *("action_id", "agency", "owner_role", "description", "source_kind", "source_ref"),
            *("agreed_on", "original_due_on", "due_on", "revisions"),
        )
    ]
    arms = [
        select(*columns).where(
            t.c.status == ActionStatus.OPEN.value,
            segment_end,
            version_end,
            t.c.valid_from <= as_of,
            t.c.due_on < as_of,
            *([] if agency is None else [t.c.agency == agency]),
        )
        for segment_end in segment_ends
        for version_end in version_ends
    ]
    segments = union_all(*arms).subquery()
    statement = select(segments).order_by(segments.c.due_on, segments.c.action_id)
    rows = [
        OverdueAction(
            action_id=row["action_id"],
            agency=row["agency"],
            owner_role=sealer.open(row["owner_role"]),
            description=sealer.open(row["description"]),
            source_kind=row["source_kind"],
            source_ref=sealer.open(row["source_ref"]),
            agreed_on=row["agreed_on"],
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
