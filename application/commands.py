"""Commands: one typed, validated object per thing a user can ask the system to do.

Field names follow the HTTP contract; the shapes and limits of values are ``inputs``' types. A
command may carry ``command_id`` (a retry with the same id returns the first result and writes
nothing) and ``expected_version`` (optimistic concurrency).

Each command class declares, once, the aggregate type it targets (``target_type``; for a
creation command, the type it creates) and the field naming the target (``target_field``; None
for a creation command). The application, the HTTP routes and the importer read these.
"""

from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from application.inputs import (
    Code,
    Count,
    Day,
    Items,
    Moment,
    Number,
    Position,
    Text,
    Title,
    Version,
)
from domain import codes
from domain.action import AgencyAction
from domain.events import TrailAggregate
from domain.meeting import StrategyMeeting
from domain.projection_skip import ProjectionSkip
from domain.recommendation import Recommendation


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: The aggregate type the command changes, or creates.
    target_type: ClassVar[type[TrailAggregate]]
    #: What doing it is, as a refusal names it: "the agency role may not <purpose>".
    purpose: ClassVar[str]
    #: The field holding the id of the aggregate the command changes (None: it creates one).
    target_field: ClassVar[str | None] = None

    command_id: Code | None = None
    expected_version: Version | None = None

    def target_id(self) -> UUID:
        """The id of the aggregate the command changes."""
        value = getattr(self, self.target_field or "", None)
        if not isinstance(value, UUID):
            raise TypeError(f"{type(self).__name__} names no target aggregate")
        return value


class CreationCommand(Command):
    """Creates a new aggregate (of ``target_type``)."""

    def natural_id(self) -> UUID | None:
        """The new aggregate's id when its facts determine it (default: from the command id)."""
        return None


class MeetingCommand(Command):
    target_type = StrategyMeeting
    target_field = "meeting_id"

    meeting_id: UUID


class RecommendationCommand(Command):
    target_type = Recommendation
    target_field = "recommendation_id"

    recommendation_id: UUID


class ActionCommand(Command):
    target_type = AgencyAction
    target_field = "action_id"

    action_id: UUID


class EffectiveChange(Command):
    """A change given a reason, taking effect on ``effective_on`` (default today)."""

    reason: Text
    effective_on: Day | None = None


class DueDateChange(Command):
    """A new due date, for a reason, from ``effective_on`` (default today)."""

    due_on: Day
    reason: Text
    effective_on: Day | None = None


class ActionTerms(Command):
    """The terms of a new action: who owes it, what, by when (agreed today unless said)."""

    agency: Code
    description: Text
    due_on: Day
    owner_role: Code | None = None
    agreed_on: Day | None = None


class RequestMeeting(CreationCommand):
    purpose = "request a strategy meeting"
    target_type = StrategyMeeting

    case_ref: Code
    concern_raised_at: Moment
    kind: codes.MeetingKind
    team: Code


class InviteAgency(MeetingCommand):
    purpose = "invite an agency to a meeting"
    agency: Code
    role: Code | None = None


class RescheduleMeeting(MeetingCommand):
    purpose = "reschedule a meeting"
    scheduled_for: Moment
    reason: Text


class CancelMeeting(MeetingCommand):
    purpose = "cancel a meeting"
    reason: Text


class HoldMeeting(MeetingCommand):
    purpose = "record that a meeting was held"
    held_at: Moment
    format: codes.MeetingFormat


class RecordAttendance(MeetingCommand):
    purpose = "record a meeting's attendance"
    agency: Code
    role: Code | None = None
    attended: bool
    note: Text | None = None


class RecordDecision(MeetingCommand):
    purpose = "record a meeting's decision"
    decision: codes.Decision
    rationale: Text


class AgreeMeetingAction(ActionTerms, MeetingCommand):
    purpose = "agree an action at a meeting"


class ShareRecord(MeetingCommand):
    purpose = "share a meeting's record"
    shared_at: Moment
    agencies: Annotated[Items[Code], Field(min_length=1)]


class AssessRecordQuality(MeetingCommand):
    purpose = "assess a meeting record's quality"
    rating: codes.QualityRating
    audit_ref: Code
    notes: Text | None = None
    #: The day the record was assessed (default today): not before the meeting was held.
    assessed_on: Day | None = None


class RecommendationSourceIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: codes.RecommendationSourceKind
    ref: Code
    title: Title


class RaiseRecommendation(CreationCommand):
    purpose = "raise a recommendation"
    target_type = Recommendation

    source: RecommendationSourceIn
    number: Number
    text: Text
    raised_on: Day


class RecordResponse(RecommendationCommand):
    purpose = "record a response to a recommendation"
    text: Text
    dated: Day
    agency: Code | None = None


class CorrectResponse(RecommendationCommand):
    purpose = "correct a response to a recommendation"
    number: Number
    text: Text
    reason: Text


class AgreeRecommendationAction(ActionTerms, RecommendationCommand):
    purpose = "agree an action on a recommendation"


class MeasureIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Title
    numerator: Count
    denominator: Count


class RecordAssurance(RecommendationCommand):
    purpose = "record an assurance of a recommendation"
    kind: codes.AssuranceKind
    dated: Day
    sample_size: Count
    measures: Items[MeasureIn] = []
    summary: Text


class ChangeRecommendationStatus(RecommendationCommand):
    purpose = "change a recommendation's status"
    status: codes.RecommendationStatus
    rag: codes.Rag | None = None
    reason: Text
    effective_on: Day | None = None


class CloseRecommendation(RecommendationCommand):
    purpose = "close a recommendation"
    evidence: Text
    reason: Text
    override: bool = False
    effective_on: Day | None = None


class ReopenRecommendation(EffectiveChange, RecommendationCommand):
    purpose = "reopen a recommendation"


class ActionSourceIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: codes.ActionSourceKind
    ref: Code


class SourcedCreation(CreationCommand):
    """Creates an action from its source (a recommendation, a meeting, a MARAC, other)."""

    target_type = AgencyAction

    source: ActionSourceIn


class AssignAction(ActionTerms, SourcedCreation):
    purpose = "assign an action"


class NoteProgress(ActionCommand):
    purpose = "note progress on an action"
    note: Text


class ProposeDueDate(DueDateChange, ActionCommand):
    """An agency asks for a new due date, to take effect on ``effective_on`` (default today);
    the due date itself does not change until governance accepts it. A proposal still waiting
    is superseded by a new one."""

    purpose = "propose a new due date"


class AcceptDueDate(ActionCommand):
    """Governance accepts the agency's pending proposal: the due date is revised, effective on
    the proposal's effective date."""

    purpose = "accept a proposed due date"

    reason: Text | None = None


class DeclineDueDate(ActionCommand):
    """Governance declines the agency's pending proposal; the due date stays as it is."""

    purpose = "decline a proposed due date"

    reason: Text


class ReviseDueDate(DueDateChange, ActionCommand):
    """Governance changes the due date; the original stays in history."""

    purpose = "revise an action's due date"


class ReassignAction(ActionCommand):
    purpose = "reassign an action"
    agency: Code
    reason: Text
    effective_on: Day | None = None


class CompleteAction(ActionCommand):
    purpose = "complete an action"
    completed_on: Day
    evidence: Text


class CancelAction(EffectiveChange, ActionCommand):
    purpose = "cancel an action"


class ReopenAction(EffectiveChange, ActionCommand):
    purpose = "reopen an action"


class RecordProjectionSkip(CreationCommand):
    """Governance lets the read model ``projection`` pass the one event at ``position``.

    One skip per event: its id derives from both (``ProjectionSkip.id_for``), so recording it
    again answers the first skip and writes nothing.
    """

    purpose = "skip an event in a read model"

    target_type = ProjectionSkip

    projection: Code
    position: Annotated[Position, Field(ge=1)]
    reason: Text

    def natural_id(self) -> UUID | None:
        return ProjectionSkip.id_for(self.projection, self.position)
