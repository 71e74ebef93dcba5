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
from infrastructure.presentation.labels import source_href, source_id
from projections.models import Correction, LogEntry, ResponseEntry


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
        return cls(
            id=m.id,
            version=m.version,
            status=m.status.value,
            case_ref=m.case_ref,
            concern_raised_at=m.concern_raised_at,
            kind=m.kind.value,
            team=m.team,
            scheduled_for=m.scheduled_for,
            cancellation_reason=m.cancellation_reason,
            held_at=m.held_at,
            format=m.format.value if m.format else None,
            invited=[Invitation(agency=i.agency, role=i.role) for i in m.invited],
            attendance=[
                Attendance(agency=a.agency, role=a.role, attended=a.attended, note=a.note)
                for a in m.attendance
            ],
            decisions=[
                DecisionState(decision=d.decision.value, rationale=d.rationale) for d in m.decisions
            ],
            actions=list(m.action_ids),
            record_shared_at=m.record_shared_at,
            record_shared_with=list(m.record_shared_with),
            quality_assessments=[
                QualityAssessmentState(
                    rating=q.rating.value,
                    audit_ref=q.audit_ref,
                    notes=q.notes,
                    assessed_by=q.assessed_by,
                    assessed_on=q.assessed_on,
                )
                for q in m.quality_assessments
            ],
        )


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
        return cls(
            id=r.id,
            version=r.version,
            status=r.status.value,
            rag=r.rag.value if r.rag else None,
            source=Source(kind=r.source.kind.value, ref=r.source.ref, title=r.source.title),
            number=r.number,
            text=r.text,
            raised_on=r.raised_on,
            responses=[
                ResponseEntry(
                    number=x.number,
                    text=x.text,
                    original_text=x.original_text,
                    dated=x.dated,
                    agency=x.agency,
                    recorded_at=x.recorded_at,
                    by=x.by,
                    corrections=[
                        Correction(text=c.text, reason=c.reason, recorded_at=c.recorded_at, by=c.by)
                        for c in x.corrections
                    ],
                )
                for x in r.responses
            ],
            actions=list(r.action_ids),
            assurances=[
                AssuranceState(
                    kind=a.kind.value,
                    dated=a.dated,
                    sample_size=a.sample_size,
                    measures=[
                        MeasureState(name=m.name, numerator=m.numerator, denominator=m.denominator)
                        for m in a.measures
                    ],
                    summary=a.summary,
                )
                for a in r.assurances
            ],
        )


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
        return cls(
            id=a.id,
            version=a.version,
            status=a.status.value,
            agency=a.agency,
            owner_role=a.owner_role,
            description=a.description,
            source=Source(
                kind=a.source.kind.value,
                ref=a.source.ref,
                id=source_id(a.source),
                href=source_href(a.source),
            ),
            agreed_on=a.agreed_on,
            due_on=a.due_on,
            original_due_on=a.original_due_on,
            completed_on=a.completed_on,
            completed_late=late.late if late else None,
            days_late=late.days if late else None,
            working_days_late=late.working_days if late else None,
            progress_notes=list(a.progress_notes),
            proposed_due_dates=[
                DueDateProposalState(
                    due_on=p.due_on,
                    reason=p.reason,
                    effective_on=p.effective_on,
                    by=p.proposed_by,
                    recorded_at=p.recorded_at,
                    status=p.status,
                    decided_by=p.decided_by,
                    decided_at=p.decided_at,
                    decision_reason=p.decision_reason,
                )
                for p in a.proposals
            ],
            due_date_revisions=[
                DueDateChange(
                    due_on=r.due_on,
                    reason=r.reason,
                    effective_on=r.effective_on,
                    by=r.approved_by,
                    recorded_at=r.recorded_at,
                )
                for r in a.revisions
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
        return cls(
            id=s.id,
            version=s.version,
            projection=s.projection,
            position=s.position,
            reason=s.reason,
        )


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
