"""The AgencyAction aggregate: an action an agency owes, with its due date history."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.clock import london_date
from domain.codes import ActionStatus
from domain.errors import ActionClosed, ActionNotClosed, InvalidInput
from domain.events import Envelope, TrailAggregate
from domain.rules import require_past_date, require_text
from domain.values import ActionSource


@dataclass(frozen=True)
class DueDateRevision:
    due_on: date
    reason: str
    approved_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class DueDateProposal:
    due_on: date
    reason: str
    proposed_by: str
    recorded_at: datetime


class AgencyAction(TrailAggregate):
    TOPIC = "actiontrail.AgencyAction"

    class Event(TrailAggregate.Event):
        TOPIC = "actiontrail.AgencyAction.Event"

    class Assigned(Event, TrailAggregate.Created):
        TOPIC = "actiontrail.AgencyAction.Assigned"
        source: ActionSource
        agency: str
        owner_role: str | None
        description: str
        due_on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.source = self.source
            aggregate.agency = self.agency
            aggregate.owner_role = self.owner_role
            aggregate.description = self.description
            aggregate.due_on = self.due_on
            aggregate.original_due_on = self.due_on
            aggregate.assigned_on = london_date(self.timestamp)

    class ProgressNoted(Event):
        TOPIC = "actiontrail.AgencyAction.ProgressNoted"
        note: str

        def apply(self, aggregate: Any) -> None:
            aggregate.progress_notes.append(self.note)

    class DueDateProposed(Event):
        TOPIC = "actiontrail.AgencyAction.DueDateProposed"
        due_on: date
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.proposals.append(
                DueDateProposal(self.due_on, self.reason, self.actor.user_id, self.timestamp)
            )

    class DueDateRevised(Event):
        TOPIC = "actiontrail.AgencyAction.DueDateRevised"
        due_on: date
        reason: str
        approved_by: str

        def apply(self, aggregate: Any) -> None:
            aggregate.due_on = self.due_on
            aggregate.revisions.append(
                DueDateRevision(self.due_on, self.reason, self.approved_by, self.timestamp)
            )

    class Reassigned(Event):
        TOPIC = "actiontrail.AgencyAction.Reassigned"
        agency: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.agency = self.agency

    class Completed(Event):
        TOPIC = "actiontrail.AgencyAction.Completed"
        completed_on: date
        evidence: str

        @property
        def effective(self) -> date:
            return self.completed_on

        def apply(self, aggregate: Any) -> None:
            aggregate.status = ActionStatus.COMPLETED
            aggregate.completed_on = self.completed_on

    class Cancelled(Event):
        TOPIC = "actiontrail.AgencyAction.Cancelled"
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status = ActionStatus.CANCELLED

    class Reopened(Event):
        TOPIC = "actiontrail.AgencyAction.Reopened"
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status = ActionStatus.OPEN
            aggregate.completed_on = None

    source: ActionSource
    agency: str
    owner_role: str | None
    description: str
    due_on: date
    original_due_on: date
    assigned_on: date

    def __init__(self) -> None:
        super().__init__()
        self.status = ActionStatus.OPEN
        self.completed_on: date | None = None
        self.progress_notes: list[str] = []
        self.proposals: list[DueDateProposal] = []
        self.revisions: list[DueDateRevision] = []

    @classmethod
    def assign(
        cls,
        *,
        id: UUID,
        source: ActionSource,
        agency: str,
        owner_role: str | None,
        description: str,
        due_on: date,
        by: Envelope,
    ) -> "AgencyAction":
        return cls.create(
            cls.Assigned,
            id=id,
            source=source,
            agency=agency,
            owner_role=owner_role,
            description=require_text(description, "description"),
            due_on=due_on,
            by=by,
        )

    @property
    def is_finished(self) -> bool:
        """Completed or cancelled."""
        return self.status is not ActionStatus.OPEN

    def _require_open(self, what: str) -> None:
        if self.is_finished:
            raise ActionClosed(f"the action is {self.status.value}; it cannot {what}")

    def note_progress(self, *, note: str, by: Envelope) -> None:
        self._require_open("take progress notes until reopened")
        self.record(self.ProgressNoted, note=require_text(note, "note"), by=by)

    def propose_due_date(self, *, due_on: date, reason: str, by: Envelope) -> None:
        self._require_open("have its due date revised")
        self.record(
            self.DueDateProposed, due_on=due_on, reason=require_text(reason, "reason"), by=by
        )

    def revise_due_date(self, *, due_on: date, reason: str, by: Envelope) -> None:
        self._require_open("have its due date revised")
        if due_on == self.due_on:
            raise InvalidInput(f"the action is already due on {due_on.isoformat()}")
        self.record(
            self.DueDateRevised,
            due_on=due_on,
            reason=require_text(reason, "reason"),
            approved_by=by.actor.user_id,
            by=by,
        )

    def reassign(self, *, agency: str, reason: str, by: Envelope) -> None:
        self._require_open("be reassigned")
        if agency == self.agency:
            raise InvalidInput(f"the action is already owned by {agency}")
        self.record(self.Reassigned, agency=agency, reason=require_text(reason, "reason"), by=by)

    def complete(self, *, completed_on: date, evidence: str, by: Envelope) -> None:
        self._require_open("be completed again")
        self.record(
            self.Completed,
            completed_on=require_past_date(completed_on, "completed on"),
            evidence=require_text(evidence, "evidence"),
            by=by,
        )

    def cancel(self, *, reason: str, by: Envelope) -> None:
        self._require_open("be cancelled")
        self.record(self.Cancelled, reason=require_text(reason, "reason"), by=by)

    def reopen(self, *, reason: str, by: Envelope) -> None:
        if not self.is_finished:
            raise ActionNotClosed("the action is open; only a completed or cancelled one reopens")
        self.record(self.Reopened, reason=require_text(reason, "reason"), by=by)
