"""The AgencyAction aggregate: an action an agency owes, with its due date history."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.clock import london_today
from domain.codes import ActionStatus
from domain.errors import ActionClosed, ActionNotClosed, BeforeAgreed, InvalidInput, OutOfOrder
from domain.events import (
    Envelope,
    Standing,
    TakesEffectOn,
    TakesEffectWhenAgreed,
    TrailAggregate,
)
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

    class Assigned(TakesEffectWhenAgreed, Event, TrailAggregate.Created):
        TOPIC = "actiontrail.AgencyAction.Assigned"
        source: ActionSource
        agency: str
        owner_role: str | None
        description: str
        due_on: date
        agreed_on: date

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.source = self.source
            aggregate.agency = self.agency
            aggregate.owner_role = self.owner_role
            aggregate.description = self.description
            aggregate.due_on = self.due_on
            aggregate.original_due_on = self.due_on
            aggregate.agreed_on = self.agreed_on
            aggregate.status_since = self.agreed_on

    class ProgressNoted(Event):
        TOPIC = "actiontrail.AgencyAction.ProgressNoted"
        note: str

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.progress_notes.append(self.note)

    class DueDateProposed(Event):
        TOPIC = "actiontrail.AgencyAction.DueDateProposed"
        due_on: date
        reason: str

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.proposals.append(
                DueDateProposal(self.due_on, self.reason, self.actor.user_id, self.timestamp)
            )

    class DueDateRevised(TakesEffectOn, Event):
        TOPIC = "actiontrail.AgencyAction.DueDateRevised"
        due_on: date
        reason: str
        approved_by: str
        effective_on: date

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.due_on = self.due_on
            aggregate.revisions.append(
                DueDateRevision(self.due_on, self.reason, self.approved_by, self.timestamp)
            )

    class Reassigned(TakesEffectOn, Event):
        TOPIC = "actiontrail.AgencyAction.Reassigned"
        agency: str
        reason: str
        effective_on: date

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.agency = self.agency

    class Completed(Event):
        TOPIC = "actiontrail.AgencyAction.Completed"
        completed_on: date
        evidence: str

        @property
        def effective(self) -> date:
            return self.completed_on

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.status = ActionStatus.COMPLETED
            aggregate.completed_on = self.completed_on
            aggregate.status_since = self.completed_on

    class Cancelled(TakesEffectOn, Event):
        TOPIC = "actiontrail.AgencyAction.Cancelled"
        reason: str
        effective_on: date

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.status = ActionStatus.CANCELLED
            aggregate.status_since = self.effective_on

    class Reopened(TakesEffectOn, Event):
        TOPIC = "actiontrail.AgencyAction.Reopened"
        reason: str
        effective_on: date

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.status = ActionStatus.OPEN
            aggregate.completed_on = None
            aggregate.status_since = self.effective_on

    SEQUENTIAL = (Completed, Cancelled, Reopened)
    STANDINGS = {
        DueDateRevised: Standing("due date", ("due_on",)),
        Reassigned: Standing("agency", ("agency",)),
    }
    CHANGES = {
        ProgressNoted: frozenset({"progress_notes"}),
        DueDateProposed: frozenset({"proposals"}),
        DueDateRevised: frozenset({"due_on", "revisions"}),
        Reassigned: frozenset({"agency"}),
        Completed: frozenset({"status", "completed_on", "status_since"}),
        Cancelled: frozenset({"status", "status_since"}),
        Reopened: frozenset({"status", "completed_on", "status_since"}),
    }

    source: ActionSource
    agency: str
    owner_role: str | None
    description: str
    due_on: date
    original_due_on: date
    agreed_on: date
    #: When the current status (open, completed, cancelled) took effect.
    status_since: date

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
        agreed_on: date | None,
        by: Envelope,
    ) -> "AgencyAction":
        """A new action, agreed on ``agreed_on`` (default: today in London)."""
        agreed_on = require_past_date(agreed_on or london_today(), "agreed on")
        _require_due_after_agreed(due_on, agreed_on)
        return cls.create(
            cls.Assigned,
            id=id,
            source=source,
            agency=agency,
            owner_role=owner_role,
            description=require_text(description, "description"),
            due_on=due_on,
            agreed_on=agreed_on,
            by=by,
        )

    def describe_start(self) -> str:
        return f"the action was agreed on {self.agreed_on.isoformat()}"

    @property
    def is_finished(self) -> bool:
        """Completed or cancelled."""
        return self.status is not ActionStatus.OPEN

    def _require_open(self, what: str) -> None:
        if self.is_finished:
            raise ActionClosed(f"the action is {self.status.value}; it cannot {what}")

    def _effective(self, effective_on: date | None, what: str) -> date:
        """The date a change takes effect: given or today, not in the future, not before the
        action was agreed."""
        day = require_past_date(effective_on or london_today(), what)
        if day < self.agreed_on:
            raise BeforeAgreed(
                f"{what} {day.isoformat()} is before the action was agreed "
                f"({self.agreed_on.isoformat()})"
            )
        return day

    def _status_effective(self, effective_on: date | None, what: str) -> date:
        """As ``_effective``, and not before the current status took effect."""
        day = self._effective(effective_on, what)
        if day < self.status_since:
            raise OutOfOrder(
                f"{what} {day.isoformat()} is before the action became {self.status.value} "
                f"({self.status_since.isoformat()})"
            )
        return day

    def note_progress(self, *, note: str, by: Envelope) -> None:
        self._require_open("take progress notes until reopened")
        self.record(self.ProgressNoted, note=require_text(note, "note"), by=by)

    def propose_due_date(self, *, due_on: date, reason: str, by: Envelope) -> None:
        self._require_open("have its due date revised")
        self.record(
            self.DueDateProposed, due_on=due_on, reason=require_text(reason, "reason"), by=by
        )

    def revise_due_date(
        self, *, due_on: date, reason: str, effective_on: date | None, by: Envelope
    ) -> None:
        self._require_open("have its due date revised")
        effective = self._effective(effective_on, "effective on")
        if due_on == self.on_day(effective).due_on:
            raise InvalidInput(
                f"on {effective.isoformat()} the action was already due on {due_on.isoformat()}"
            )
        _require_due_after_agreed(due_on, self.agreed_on)
        self.record(
            self.DueDateRevised,
            due_on=due_on,
            reason=require_text(reason, "reason"),
            approved_by=by.actor.user_id,
            effective_on=effective,
            by=by,
        )

    def reassign(
        self, *, agency: str, reason: str, effective_on: date | None, by: Envelope
    ) -> None:
        self._require_open("be reassigned")
        effective = self._effective(effective_on, "effective on")
        if agency == self.on_day(effective).agency:
            raise InvalidInput(
                f"on {effective.isoformat()} the action was already owned by {agency}"
            )
        self.record(
            self.Reassigned,
            agency=agency,
            reason=require_text(reason, "reason"),
            effective_on=effective,
            by=by,
        )

    def complete(self, *, completed_on: date, evidence: str, by: Envelope) -> None:
        self._require_open("be completed again")
        self.record(
            self.Completed,
            completed_on=self._status_effective(completed_on, "completed on"),
            evidence=require_text(evidence, "evidence"),
            by=by,
        )

    def cancel(self, *, reason: str, effective_on: date | None, by: Envelope) -> None:
        self._require_open("be cancelled")
        self.record(
            self.Cancelled,
            reason=require_text(reason, "reason"),
            effective_on=self._status_effective(effective_on, "effective on"),
            by=by,
        )

    def reopen(self, *, reason: str, effective_on: date | None, by: Envelope) -> None:
        if not self.is_finished:
            raise ActionNotClosed("the action is open; only a completed or cancelled one reopens")
        self.record(
            self.Reopened,
            reason=require_text(reason, "reason"),
            effective_on=self._status_effective(effective_on, "effective on"),
            by=by,
        )


def _require_due_after_agreed(due_on: date, agreed_on: date) -> None:
    if due_on < agreed_on:
        raise BeforeAgreed(
            f"an action agreed on {agreed_on.isoformat()} cannot fall due before then "
            f"(due on {due_on.isoformat()})"
        )
