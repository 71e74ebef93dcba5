"""State representations of the aggregates, named as the commands name their fields.

A response and its corrections have the shape the response history report gives them, and an
event the shape of the audit log's entries: each is defined once, in ``projections.models``.
"""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from domain.action import AgencyAction
from domain.calendar import ENGLAND_AND_WALES, WorkingDayCalendar
from domain.codes import ActionStatus
from domain.events import TrailAggregate
from domain.lateness import lateness
from domain.meeting import StrategyMeeting
from domain.projection_skip import ProjectionSkip
from domain.recommendation import Recommendation
from infrastructure.presentation.attributes import from_attributes
from infrastructure.presentation.labels import source_href, source_id
from projections.models import LogEntry, ResponseEntry


class Invitation(BaseModel):
    agency: str
    role: str | None


class Attendance(BaseModel):
    agency: str
    role: str | None
    attended: bool
    note: str | None


class DecisionState(BaseModel):
    decision: str
    #: Null in the summary agency staff read (``MeetingState.summary``).
    rationale: str | None


class QualityAssessmentState(BaseModel):
    rating: str
    audit_ref: str
    notes: str | None
    assessed_by: str
    assessed_by_name: str | None = None
    assessed_on: date


class MeetingState(BaseModel):
    id: UUID
    version: int
    status: str
    case_ref: str
    concern_raised_at: datetime
    kind: str
    team: str
    scheduled_for: datetime | None
    cancellation_reason: str | None
    held_at: datetime | None
    format: str | None
    invited: list[Invitation]
    attendance: list[Attendance]
    decisions: list[DecisionState]
    actions: list[UUID]
    record_shared_at: datetime | None
    record_shared_with: list[str]
    quality_assessments: list[QualityAssessmentState]

    @classmethod
    def of(cls, m: StrategyMeeting) -> "MeetingState":
        return from_attributes(cls, m, actions=list(m.action_ids))


def meeting_summary(state: "MeetingState", own_actions: list[UUID]) -> "MeetingState":
    """What agency staff read of a meeting their agency's action comes from: what happened
    (when, who was invited and attended, what was decided, when the record was shared) and
    their own actions, without the free text about the case or other agencies' work (decisions'
    rationale, attendance notes, the reason for a cancellation, quality assessments)."""
    return state.model_copy(
        update={
            "actions": own_actions,
            "decisions": [d.model_copy(update={"rationale": None}) for d in state.decisions],
            "attendance": [a.model_copy(update={"note": None}) for a in state.attendance],
            "cancellation_reason": None,
            "quality_assessments": [],
        }
    )


class Source(BaseModel):
    kind: str
    ref: str
    title: str | None = None
    label: str | None = Field(
        default=None,
        description='what a person reads: "SM-AUDIT-2023 recommendation 1", "CASE-23-101 '
        "meeting of 14 June 2023\", or a MARAC's or other source's own reference",
    )
    id: UUID | None = Field(
        default=None, description="the recommendation or meeting an action came from"
    )
    href: str | None = Field(default=None, description="its path in this API")


class MeasureState(BaseModel):
    name: str
    numerator: int
    denominator: int


class AssuranceState(BaseModel):
    kind: str
    dated: date
    sample_size: int
    measures: list[MeasureState]
    summary: str


class RecommendationState(BaseModel):
    id: UUID
    version: int
    status: str
    rag: str | None
    source: Source
    number: int
    text: str
    raised_on: date
    responses: list[ResponseEntry]
    actions: list[UUID]
    assurances: list[AssuranceState]

    @classmethod
    def of(cls, r: Recommendation) -> "RecommendationState":
        source = Source(kind=r.source.kind.value, ref=r.source.ref, title=r.source.title)
        return from_attributes(cls, r, source=source, actions=list(r.action_ids))


class DueDateChange(BaseModel):
    due_on: date
    reason: str
    effective_on: date = Field(
        description="the date the new due date takes (proposed: would take) effect"
    )
    by: str
    by_name: str | None = None
    recorded_at: datetime


class DueDateProposalState(DueDateChange):
    status: str = Field(
        description="pending (waiting for governance), accepted, declined, or superseded (by a "
        "later proposal while waiting)"
    )
    decided_by: str | None = None
    decided_by_name: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


class ActionState(BaseModel):
    id: UUID
    version: int
    status: str
    agency: str
    owner_role: str | None
    description: str
    source: Source
    agreed_on: date
    due_on: date
    original_due_on: date
    completed_on: date | None
    completed_late: bool | None = Field(
        default=None,
        description="completed after the due date in force on the completion date (the latest "
        "revision effective on or before it, else the original); null unless completed",
    )
    days_late: int | None = Field(
        default=None, description="calendar days after that due date (0 on time)"
    )
    working_days_late: int | None = Field(
        default=None, description="working days after that due date (0 on time)"
    )
    progress_notes: list[str]
    proposed_due_dates: list[DueDateProposalState]
    due_date_revisions: list[DueDateChange]

    @classmethod
    def of(cls, a: AgencyAction, calendar: WorkingDayCalendar = ENGLAND_AND_WALES) -> "ActionState":
        late = None
        if a.status is ActionStatus.COMPLETED and a.completed_on is not None:
            late = lateness(a.due_on_in_force(a.completed_on), a.completed_on, calendar)
        return from_attributes(
            cls,
            a,
            source=Source(
                kind=a.source.kind.value,
                ref=a.source.ref,
                id=source_id(a.source),
                href=source_href(a.source),
            ),
            completed_late=late.late if late else None,
            days_late=late.days if late else None,
            working_days_late=late.working_days if late else None,
            proposed_due_dates=[
                from_attributes(DueDateProposalState, p, by=p.proposed_by) for p in a.proposals
            ],
            due_date_revisions=[
                from_attributes(DueDateChange, r, by=r.approved_by) for r in a.revisions
            ],
        )


class History(BaseModel):
    events: list[LogEntry]


class SkipState(BaseModel):
    """A recorded skip of one event by one read model."""

    id: UUID
    version: int
    projection: str
    position: int
    reason: str

    @classmethod
    def of(cls, s: ProjectionSkip) -> "SkipState":
        return from_attributes(cls, s)


AggregateState = MeetingState | RecommendationState | ActionState | SkipState


def state_of(aggregate: TrailAggregate) -> AggregateState:
    """The representation of any aggregate."""
    if isinstance(aggregate, StrategyMeeting):
        return MeetingState.of(aggregate)
    if isinstance(aggregate, Recommendation):
        return RecommendationState.of(aggregate)
    if isinstance(aggregate, AgencyAction):
        return ActionState.of(aggregate)
    if isinstance(aggregate, ProjectionSkip):
        return SkipState.of(aggregate)
    raise TypeError(f"no representation for {type(aggregate).__name__}")
