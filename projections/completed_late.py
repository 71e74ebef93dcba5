"""Completed late: actions completed in a period after the due date in force on completion.

A query over the overdue projection's timelines (``rm_action_segments``), as meeting timeliness
is over the meetings projection's tables: the timeline already applies every fact in effective
order (ties in the order recorded), so the segment holding an action's completion date holds the
due date in force that day, the latest revision effective on or before it, else the original
(``domain.lateness``). No table of its own, so nothing more to keep exactly once or to write
fast: the overdue projection's runner and writers do both.

An action counts when it stands completed (its timeline's last segment, as known now or at T)
with ``completed_on`` in the period; one completed and then reopened does not, as its state
does not say it was completed late.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select, union_all

from domain.calendar import WorkingDayCalendar
from domain.clock import as_utc
from domain.codes import ActionStatus
from domain.lateness import lateness
from projections.base import Period, known_at_ranges
from projections.models import AgencyCompletions, CompletedLate, CompletedLateRow, pct
from projections.sealing import PLAIN, Sealer
from projections.tables import action_segments

COLUMNS = (
    *("action_id", "valid_from", "valid_to", "agency", "due_on", "completed_on"),
    *("description", "source_kind", "source_ref", "original_due_on", "revisions"),
)


@dataclass(frozen=True)
class Completion:
    """An action's standing completion, and the segment in force on its date."""

    on: date
    segment: Any


def query_completed_late(
    conn: Connection,
    calendar: WorkingDayCalendar,
    period: Period,
    agency: str | None = None,
    sealer: Sealer = PLAIN,
) -> CompletedLate:
    """Actions completed in ``period`` (their ``completed_on``), as known then; ``agency``: the
    agency owning each on its completion date."""
    from_date, to_date, known_at_time = period.from_date, period.to_date, period.known_at
    t = action_segments
    arms = [
        select(*(t.c[name] for name in COLUMNS)).where(
            t.c.status == ActionStatus.COMPLETED.value,
            t.c.completed_on >= from_date,
            t.c.completed_on <= to_date,
            version_end,
        )
        for version_end in known_at_ranges(t, known_at_time)
    ]
    segments = union_all(*arms).subquery()
    fetched = conn.execute(select(segments).order_by(segments.c.action_id, segments.c.valid_from))
    completions = [
        c for c in _completions(fetched.mappings()) if agency is None or c.segment.agency == agency
    ]
    counted: Counter[str] = Counter()
    late: Counter[str] = Counter()
    rows = []
    for completion in completions:
        s = completion.segment
        counted[s.agency] += 1
        how = lateness(s.due_on, completion.on, calendar)
        if not how.late:
            continue
        late[s.agency] += 1
        rows.append(
            CompletedLateRow(
                action_id=s.action_id,
                agency=s.agency,
                description=sealer.open(s.description),
                source_kind=s.source_kind,
                source_ref=sealer.open(s.source_ref),
                original_due_on=s.original_due_on,
                due_on=s.due_on,
                completed_on=completion.on,
                days_late=how.days,
                working_days_late=how.working_days,
                revisions=s.revisions,
            )
        )
    rows.sort(key=lambda r: (r.completed_on, str(r.action_id)))
    return CompletedLate(
        from_date=from_date,
        to_date=to_date,
        agency=agency,
        known_at=as_utc(known_at_time) if known_at_time else None,
        agencies=[
            AgencyCompletions(
                agency=name,
                completed=counted[name],
                completed_late=late[name],
                completed_late_pct=pct(late[name], counted[name]),
            )
            for name in sorted(counted)
        ],
        rows=rows,
    )


def _completions(segments: Iterable[Any]) -> Iterable[Completion]:
    """Per action (segments in order of ``valid_from``, grouped by action): its completion if
    it stands (the last segment is completed), with the segment in force on its date."""
    by_action: dict[UUID, list[Any]] = {}
    for segment in segments:
        by_action.setdefault(segment.action_id, []).append(segment)
    for found in by_action.values():
        last = next((s for s in found if s.valid_to is None), None)
        if last is None:
            continue  # not completed now: reopened or cancelled since
        day = last.completed_on
        same = [s for s in found if s.completed_on == day]
        in_force = next(
            (s for s in same if s.valid_from <= day and (s.valid_to is None or s.valid_to > day)),
            same[0],  # an entry of version 0.1 that took effect later than its date
        )
        yield Completion(day, in_force)
