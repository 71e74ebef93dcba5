"""The AgencyAction aggregate: an action an agency owes, with its due date history."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.clock import london_today
from domain.codes import ActionStatus
from domain.errors import (
    ActionClosed,
    ActionNotClosed,
    BeforeAgreed,
    InvalidInput,
    NoPendingProposal,
    OutOfOrder,
)
from domain.events import (
    Envelope,
    Standing,
    StatusChange,
    TakesEffectOn,
    TakesEffectWhenAgreed,
    TrailAggregate,
    recorded_on,
)
from domain.rules import require_past_date, require_text
from domain.values import ActionSource


@dataclass(frozen=True)
class DueDateRevision:
    due_on: date
    reason: str
    approved_by: str
    recorded_at: datetime
    effective_on: date


#: What became of a proposal: waiting for governance, or decided (a later proposal supersedes
#: one still waiting).
PENDING, ACCEPTED, DECLINED, SUPERSEDED = "pending", "accepted", "declined", "superseded"


@dataclass(frozen=True)
class DueDateProposal:
    due_on: date
    reason: str
    proposed_by: str
    recorded_at: datetime
    effective_on: date
    status: str = PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


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
            self.copy_facts(aggregate)
            aggregate.original_due_on = self.due_on
            aggregate.status_since = self.agreed_on

    class ProgressNoted(Event):
        TOPIC = "actiontrail.AgencyAction.ProgressNoted"
        note: str

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.progress_notes.append(self.note)

    class DueDateProposed(Event):
        """An agency asks for a new due date, to take effect on ``effective_on``; governance
        accepts or declines it. It takes effect (``effective``) only when accepted."""

        TOPIC = "actiontrail.AgencyAction.DueDateProposed"
        class_version = 2
        due_on: date
        reason: str
        effective_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["effective_on"] = recorded_on(state)

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.proposals = [
                replace(p, status=SUPERSEDED) if p.status == PENDING else p
                for p in aggregate.proposals
            ]
            aggregate.proposals.append(
                DueDateProposal(
                    self.due_on, self.reason, self.actor.user_id, self.timestamp, self.effective_on
                )
            )

    class DueDateProposalAccepted(Event):
        """Governance accepts the pending proposal; a ``DueDateRevised`` follows when the date
        differs from the due date then."""

        TOPIC = "actiontrail.AgencyAction.DueDateProposalAccepted"
        due_on: date
        effective_on: date
        reason: str | None

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.decide_proposal(ACCEPTED, self)

    class DueDateProposalDeclined(Event):
        TOPIC = "actiontrail.AgencyAction.DueDateProposalDeclined"
        reason: str

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.decide_proposal(DECLINED, self)

    class DueDateRevised(TakesEffectOn, Event):
        TOPIC = "actiontrail.AgencyAction.DueDateRevised"
        due_on: date
        reason: str
        approved_by: str
        effective_on: date

        def apply(self, aggregate: "AgencyAction") -> None:
            aggregate.due_on = self.due_on
            aggregate.revisions.append(
                DueDateRevision(
                    self.due_on, self.reason, self.approved_by, self.timestamp, self.effective_on
                )
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

    class Cancelled(StatusChange, Event):
        TOPIC = "actiontrail.AgencyAction.Cancelled"
        BECOMES = ActionStatus.CANCELLED

    class Reopened(StatusChange, Event):
        TOPIC = "actiontrail.AgencyAction.Reopened"
        BECOMES = ActionStatus.OPEN

        def apply(self, aggregate: "AgencyAction") -> None:
            super().apply(aggregate)
            aggregate.completed_on = None

    SEQUENTIAL = (Completed, Cancelled, Reopened)
    STANDINGS = {
        DueDateRevised: Standing("due date", ("due_on",)),
        Reassigned: Standing("agency", ("agency",)),
    }
    CHANGES = {
        ProgressNoted: frozenset({"progress_notes"}),
        DueDateProposed: frozenset({"proposals"}),
        DueDateProposalAccepted: frozenset({"proposals"}),
        DueDateProposalDeclined: frozenset({"proposals"}),
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
    def assign(  # noqa: PLR0913 - one keyword per fact of the event it records
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
        self._require_effective_after_agreed(day, what)
        return day

    def _require_effective_after_agreed(self, day: date, what: str = "effective on") -> None:
        if day < self.agreed_on:
            raise BeforeAgreed(
                f"{what} {day.isoformat()} is before the action was agreed "
                f"({self.agreed_on.isoformat()})"
            )

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

    @property
    def pending_proposal(self) -> DueDateProposal | None:
        """The proposal waiting for governance, if any (only the latest can be)."""
        last = self.proposals[-1] if self.proposals else None
        return last if last is not None and last.status == PENDING else None

    def decide_proposal(self, status: str, event: "TrailAggregate.Event") -> None:
        """Mark the pending proposal decided by ``event`` (applied by the decision events)."""
        reason = getattr(event, "reason", None)
        self.proposals[-1] = replace(
            self.proposals[-1],
            status=status,
            decided_by=event.actor.user_id,
            decided_at=event.timestamp,
            decision_reason=reason,
        )

    def due_on_in_force(self, day: date) -> date:
        """The due date in force on ``day``: the state's on that day (``on_day``: revisions
        in effective order, ties in the order recorded); the original before it was agreed."""
        if day < self.began_on:
            return self.original_due_on
        return self.on_day(day).due_on

    def _require_not_due_then(self, due_on: date, day: date) -> None:
        if due_on == self.due_on_in_force(day):
            raise InvalidInput(
                f"on {day.isoformat()} the action was already due on {due_on.isoformat()}"
            )

    def propose_due_date(
        self, *, due_on: date, reason: str, effective_on: date | None, by: Envelope
    ) -> None:
        """Ask for ``due_on`` from ``effective_on`` (default today); a proposal still waiting
        is superseded by this one."""
        self._require_open("have its due date revised")
        effective = self._effective(effective_on, "effective on")
        self._require_not_due_then(due_on, effective)
        _require_due_after_agreed(due_on, self.agreed_on)
        self.record(
            self.DueDateProposed,
            due_on=due_on,
            reason=require_text(reason, "reason"),
            effective_on=effective,
            by=by,
        )

    def _require_pending(self, what: str) -> DueDateProposal:
        proposal = self.pending_proposal
        if proposal is None:
            raise NoPendingProposal(f"no proposed due date is waiting to be {what}")
        return proposal

    def accept_due_date(self, *, reason: str | None, by: Envelope) -> None:
        """Accept the pending proposal: the due date is revised, effective on the proposal's
        effective date (unless it is due on that date already)."""
        self._require_open("have its due date revised")
        proposal = self._require_pending("accepted")
        reason = require_text(reason, "reason") if reason is not None else None
        self.record(
            self.DueDateProposalAccepted,
            due_on=proposal.due_on,
            effective_on=proposal.effective_on,
            reason=reason,
            by=by,
        )
        self._require_effective_after_agreed(proposal.effective_on)
        if proposal.due_on == self.due_on_in_force(proposal.effective_on):
            return
        self.record(
            self.DueDateRevised,
            due_on=proposal.due_on,
            reason=reason or proposal.reason,
            approved_by=by.actor.user_id,
            effective_on=proposal.effective_on,
            by=by,
        )

    def decline_due_date(self, *, reason: str, by: Envelope) -> None:
        self._require_pending("declined")
        self.record(self.DueDateProposalDeclined, reason=require_text(reason, "reason"), by=by)

    def revise_due_date(
        self, *, due_on: date, reason: str, effective_on: date | None, by: Envelope
    ) -> None:
        self._require_open("have its due date revised")
        effective = self._effective(effective_on, "effective on")
        self._require_not_due_then(due_on, effective)
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
