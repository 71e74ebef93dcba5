"""What the queries answer: pydantic models whose field names follow the HTTP contract (api.md)."""

from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.codes import Role
from projections.stalls import Stall


class ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True)

    @classmethod
    def of_row(cls, row: Mapping[Any, Any], **given: Any) -> Self:
        """The model of a row whose columns bear its fields' names; ``given`` the others (and
        those the row holds otherwise: sealed, named differently)."""
        return cls(**({name: row[name] for name in cls.model_fields if name in row} | given))


#: The smallest step a percentage shows: one decimal place.
PCT_STEP = Decimal("0.1")


def pct(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, 0 to 100, to one decimal place rounding half up
    (1 of 16 is 6.3); None for a percentage of nothing.

    Never 100.0 unless every item counts, nor 0.0 unless none does: a rounded figure that would
    say so is held one step inside (20,023 of 20,024 is 99.9, 1 of 20,024 is 0.1). Every report
    and the console's charts take their percentages from here."""
    if whole == 0:
        return None
    exact = Decimal(100 * part) / Decimal(whole)
    shown = exact.quantize(PCT_STEP, rounding=ROUND_HALF_UP)
    if shown == 100 and part < whole:
        shown = Decimal(100) - PCT_STEP
    elif shown == 0 and part > 0:
        shown = PCT_STEP
    return float(shown)


class OverdueAction(ReadModel):
    action_id: UUID
    agency: str
    owner_role: str | None
    description: str
    source_kind: str
    source_ref: str
    #: e.g. "SM-AUDIT-2023 recommendation 1", looked up when read.
    source_label: str | None = None
    agreed_on: date
    original_due_on: date
    due_on: date
    days_overdue: int
    working_days_overdue: int
    revisions: int


class OverdueActions(ReadModel):
    as_of: date
    known_at: datetime | None
    agency: str | None
    rows: list[OverdueAction]


class CompletedLateRow(ReadModel):
    action_id: UUID
    #: The agency owning the action on its completion date.
    agency: str
    description: str
    source_kind: str
    source_ref: str
    #: e.g. "SM-AUDIT-2023 recommendation 1", looked up when read.
    source_label: str | None = None
    original_due_on: date
    #: The due date in force on the completion date.
    due_on: date
    completed_on: date
    days_late: int
    working_days_late: int
    #: Due-date revisions in force on the completion date.
    revisions: int


class AgencyCompletions(ReadModel):
    agency: str
    completed: int
    completed_late: int
    completed_late_pct: float | None


class CompletedLate(ReadModel):
    from_date: date
    to_date: date
    agency: str | None
    known_at: datetime | None
    #: Per agency, the actions completed in the period and how many of them late.
    agencies: list[AgencyCompletions]
    rows: list[CompletedLateRow]


class QueueItem(ReadModel):
    """An agency's submission waiting for governance."""

    #: ``due-date-proposal`` (a later release adds ``completion``).
    kind: str
    action_id: UUID
    #: The agency owning the action now.
    agency: str
    description: str
    submitted_at: datetime
    submitted_by: str
    submitted_by_name: str | None = None
    #: Working days from the London date it was submitted (day 0) to today.
    working_days_waiting: int
    #: The action's due date now.
    due_on: date
    #: A due-date proposal's date, and the date it would take effect (null for other kinds).
    proposed_due_on: date | None = None
    effective_on: date | None = None


class WorkQueue(ReadModel):
    as_of: date
    items: list[QueueItem]


class AgencyAttendance(ReadModel):
    agency: str
    invited: int
    invited_pct: float | None
    attended: int
    attended_pct_of_invited: float | None


class AttendanceGroup(ReadModel):
    period: str
    team: str | None
    meetings_held: int
    agencies: list[AgencyAttendance]
    all_statutory_invited: int
    all_statutory_invited_pct: float | None
    all_statutory_attended: int
    all_statutory_attended_pct: float | None


class AttendanceCompliance(ReadModel):
    from_date: date
    to_date: date
    group_by: Literal["month", "team"]
    known_at: datetime | None
    statutory_partners: list[str]
    groups: list[AttendanceGroup]


class MeetingTimelinessRow(ReadModel):
    meeting_id: UUID
    case_ref: str
    team: str
    concern_raised_at: datetime
    held_at: datetime
    working_days_to_meeting: int
    held_within_standard: bool
    record_shared_at: datetime | None
    working_days_to_record_shared: int | None
    record_shared_within_standard: bool


class MeetingTimeliness(ReadModel):
    from_date: date
    to_date: date
    known_at: datetime | None
    meeting_within_working_days: int
    record_shared_within_working_days: int
    meetings_held: int
    held_within_standard: int
    held_within_standard_pct: float | None
    records_shared_within_standard: int
    records_shared_within_standard_pct: float | None
    rows: list[MeetingTimelinessRow]


class RecordQuality(ReadModel):
    audit_ref: str
    assessed: int
    clear: int
    lacks_clarity: int
    clear_pct: float | None
    lacks_clarity_pct: float | None


class Correction(ReadModel):
    text: str
    reason: str
    recorded_at: datetime
    by: str
    #: The user's name, looked up when read (``infrastructure.presentation.names``).
    by_name: str | None = None


class ResponseEntry(ReadModel):
    number: int
    text: str
    original_text: str
    dated: date
    agency: str | None
    recorded_at: datetime
    by: str
    by_name: str | None = None
    corrections: list[Correction]


class StatusChange(ReadModel):
    change: Literal["status-changed", "closed", "reopened"]
    status: str
    rag: str | None
    reason: str
    effective_on: date
    recorded_at: datetime
    by: str
    by_name: str | None = None


class ResponseHistory(ReadModel):
    recommendation_id: UUID
    number: int
    text: str
    responses: list[ResponseEntry]
    status_changes: list[StatusChange]


NameLookup = Callable[[Collection[str]], Mapping[str, str]]
"""The names of the users with these ids, by id (unknown ids left out)."""


class ActorView(ReadModel):
    user: str
    #: The user's name, looked up when read (``infrastructure.presentation.names``); null for
    #: an id the users store does not know.
    name: str | None = None
    role: Role
    agency: str | None


class LogEntry(ReadModel):
    """One event: the entries of the audit log, the event feed and an aggregate's history."""

    position: int
    version: int
    type: str
    recorded_at: datetime
    effective: date | datetime | None
    actor: ActorView
    command_id: str
    data: dict[str, Any]
    aggregate_type: str
    aggregate_id: UUID
    #: What a person reads for the aggregate ("SM-AUDIT-2023 recommendation 1"), looked up when
    #: read; in the audit log and an aggregate's history, not in the event feed.
    aggregate_label: str | None = None


class LogPage(ReadModel):
    events: list[LogEntry]
    next_after: int


class ProjectionStatus(ReadModel):
    """A projection's progress. ``stalled``: it cannot apply the event at ``stalled_at`` and
    waits just before it (``error`` says why) until retried or a skip is recorded."""

    name: str
    position: int
    head: int
    lag: int
    status: Literal["ok", "stalled"] = "ok"
    stalled_at: int | None = None
    stalled_since: datetime | None = None
    error: str | None = None

    @classmethod
    def of(
        cls,
        name: str,
        position: int,
        head: int,
        stall: Stall | None,
        last_error: str | None = None,
    ) -> "ProjectionStatus":
        """``last_error``: this process's last failure to catch up (e.g. the database
        unreachable), shown when not stalled."""
        common = {"name": name, "position": position, "head": head, "lag": max(0, head - position)}
        if stall is None:
            return cls(**common, error=last_error)
        return cls(
            **common,
            status="stalled",
            stalled_at=stall.position,
            stalled_since=stall.since,
            error=stall.error,
        )
