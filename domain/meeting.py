"""The StrategyMeeting aggregate: from the concern being raised to the record's quality."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.clock import as_utc, london_date, london_today
from domain.codes import Decision, MeetingFormat, MeetingKind, MeetingStatus, QualityRating
from domain.errors import (
    AgencyNotInvited,
    AgreedBeforeMeeting,
    AlreadyInvited,
    InvalidInput,
    MeetingAlreadyHeld,
    MeetingCancelled,
    MeetingNotHeld,
)
from domain.events import (
    Envelope,
    TakesEffectOn,
    TakesEffectWhenAgreed,
    TrailAggregate,
    recorded_on,
)
from domain.rules import require_past, require_past_date, require_text


@dataclass(frozen=True)
class Invitation:
    agency: str
    role: str | None


@dataclass(frozen=True)
class AttendanceEntry(Invitation):
    """An invited agency's attendance or apologies."""

    attended: bool
    note: str | None


@dataclass(frozen=True)
class QualityAssessment:
    rating: QualityRating
    audit_ref: str
    notes: str | None
    assessed_by: str
    assessed_on: date


@dataclass(frozen=True)
class DecisionEntry:
    decision: Decision
    rationale: str


class StrategyMeeting(TrailAggregate):
    TOPIC = "actiontrail.StrategyMeeting"

    class Event(TrailAggregate.Event):
        TOPIC = "actiontrail.StrategyMeeting.Event"

    class Requested(Event, TrailAggregate.Created):
        TOPIC = "actiontrail.StrategyMeeting.Requested"
        case_ref: str
        concern_raised_at: datetime
        kind: MeetingKind
        team: str

        @property
        def effective(self) -> datetime:
            return self.concern_raised_at

        def apply(self, aggregate: "StrategyMeeting") -> None:
            self.copy_facts(aggregate)

    class AgencyInvited(TakesEffectOn, Event):
        """An agency (and sub-role) invited: in force from the day the meeting was requested
        (``effective_on``), whenever it was typed in."""

        TOPIC = "actiontrail.StrategyMeeting.AgencyInvited"
        agency: str
        role: str | None
        effective_on: date

        def apply(self, aggregate: "StrategyMeeting") -> None:
            aggregate.invited.append(Invitation(self.agency, self.role))

    class Rescheduled(Event):
        TOPIC = "actiontrail.StrategyMeeting.Rescheduled"
        scheduled_for: datetime
        reason: str

        def apply(self, aggregate: "StrategyMeeting") -> None:
            aggregate.scheduled_for = self.scheduled_for

    class Cancelled(Event):
        TOPIC = "actiontrail.StrategyMeeting.Cancelled"
        reason: str

        def apply(self, aggregate: "StrategyMeeting") -> None:
            aggregate.status = MeetingStatus.CANCELLED
            aggregate.cancellation_reason = self.reason

    class Held(Event):
        TOPIC = "actiontrail.StrategyMeeting.Held"
        held_at: datetime
        format: MeetingFormat

        @property
        def effective(self) -> datetime:
            return self.held_at

        def apply(self, aggregate: "StrategyMeeting") -> None:
            aggregate.status = MeetingStatus.HELD
            aggregate.held_at = self.held_at
            aggregate.format = self.format

    class AttendanceRecorded(TakesEffectOn, Event):
        """An invited agency's attendance or apologies, in force from the day the meeting was
        held (``effective_on``)."""

        TOPIC = "actiontrail.StrategyMeeting.AttendanceRecorded"
        agency: str
        role: str | None
        attended: bool
        note: str | None
        effective_on: date

        def apply(self, aggregate: "StrategyMeeting") -> None:
            aggregate.attendance.append(
                AttendanceEntry(self.agency, self.role, self.attended, self.note)
            )

    class DecisionRecorded(TakesEffectOn, Event):
        """A decision of the meeting, in force from the day it was held (``effective_on``)."""

        TOPIC = "actiontrail.StrategyMeeting.DecisionRecorded"
        decision: Decision
        rationale: str
        effective_on: date

        def apply(self, aggregate: "StrategyMeeting") -> None:
            aggregate.decisions.append(DecisionEntry(self.decision, self.rationale))

    class ActionAgreed(TakesEffectWhenAgreed, Event):
        """An action agreed at the meeting, on the day the action was agreed."""

        TOPIC = "actiontrail.StrategyMeeting.ActionAgreed"
        action_id: UUID
        agreed_on: date

        @property
        def linked_aggregate_id(self) -> UUID:
            return self.action_id

        def apply(self, aggregate: "StrategyMeeting") -> None:
            aggregate.action_ids.append(self.action_id)

    class RecordShared(Event):
        TOPIC = "actiontrail.StrategyMeeting.RecordShared"
        shared_at: datetime
        agencies: list[str]

        @property
        def effective(self) -> datetime:
            return self.shared_at

        def apply(self, aggregate: "StrategyMeeting") -> None:
            first = aggregate.record_shared_at
            if first is None or self.shared_at < first:
                aggregate.record_shared_at = self.shared_at
            aggregate.record_shared_with = sorted(
                set(aggregate.record_shared_with) | set(self.agencies)
            )

    class QualityAssessed(Event):
        """The record's quality assessed under an audit, on ``assessed_on``.

        Version 1 had no such date: it took effect on the London date it was recorded, which
        the upcast fills in.
        """

        TOPIC = "actiontrail.StrategyMeeting.QualityAssessed"
        class_version = 2
        rating: QualityRating
        audit_ref: str
        notes: str | None
        assessed_on: date

        @property
        def effective(self) -> date:
            return self.assessed_on

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["assessed_on"] = recorded_on(state)

        def apply(self, aggregate: "StrategyMeeting") -> None:
            aggregate.quality_assessments.append(
                QualityAssessment(
                    self.rating, self.audit_ref, self.notes, self.actor.user_id, self.assessed_on
                )
            )

    CHANGES = {
        AgencyInvited: frozenset({"invited"}),
        Rescheduled: frozenset({"scheduled_for"}),
        Cancelled: frozenset({"status", "cancellation_reason"}),
        Held: frozenset({"status", "held_at", "format"}),
        AttendanceRecorded: frozenset({"attendance"}),
        DecisionRecorded: frozenset({"decisions"}),
        ActionAgreed: frozenset({"action_ids"}),
        RecordShared: frozenset({"record_shared_at", "record_shared_with"}),
        QualityAssessed: frozenset({"quality_assessments"}),
    }

    case_ref: str
    concern_raised_at: datetime
    kind: MeetingKind
    team: str

    def __init__(self) -> None:
        super().__init__()
        self.status = MeetingStatus.REQUESTED
        self.invited: list[Invitation] = []
        self.attendance: list[AttendanceEntry] = []
        self.decisions: list[DecisionEntry] = []
        self.action_ids: list[UUID] = []
        self.quality_assessments: list[QualityAssessment] = []
        self.scheduled_for: datetime | None = None
        self.cancellation_reason: str | None = None
        self.held_at: datetime | None = None
        self.format: MeetingFormat | None = None
        self.record_shared_at: datetime | None = None
        self.record_shared_with: list[str] = []

    @classmethod
    def request(  # noqa: PLR0913 - one keyword per fact of the event it records
        cls,
        *,
        id: UUID,
        case_ref: str,
        concern_raised_at: datetime,
        kind: MeetingKind,
        team: str,
        by: Envelope,
    ) -> "StrategyMeeting":
        return cls.create(
            cls.Requested,
            id=id,
            case_ref=require_text(case_ref, "case reference"),
            concern_raised_at=require_past(as_utc(concern_raised_at), "concern raised at"),
            kind=kind,
            team=require_text(team, "team"),
            by=by,
        )

    def describe_start(self) -> str:
        return (
            f"the concern of case {self.case_ref} was raised on "
            f"{london_date(self.concern_raised_at).isoformat()}"
        )

    @property
    def invited_agencies(self) -> set[str]:
        return {invitation.agency for invitation in self.invited}

    def _require_not_cancelled(self) -> None:
        if self.status is MeetingStatus.CANCELLED:
            raise MeetingCancelled(
                f"meeting {self.id} was cancelled ({self.cancellation_reason}); "
                "nothing more can be recorded on it"
            )

    def _require_held(self, what: str) -> date:
        """The London date the meeting was held; refused if it was not (yet)."""
        self._require_not_cancelled()
        if self.status is not MeetingStatus.HELD or self.held_at is None:
            raise MeetingNotHeld(f"{what} can only be recorded after the meeting is held")
        return london_date(self.held_at)

    def invite(self, *, agency: str, role: str | None, by: Envelope) -> None:
        self._require_not_cancelled()
        if Invitation(agency, role) in self.invited:
            as_role = f" as {role}" if role else ""
            raise AlreadyInvited(f"{agency}{as_role} is already invited to this meeting")
        self.record(self.AgencyInvited, agency=agency, role=role, effective_on=self.began_on, by=by)

    def reschedule(self, *, scheduled_for: datetime, reason: str, by: Envelope) -> None:
        self._require_not_cancelled()
        if self.status is MeetingStatus.HELD:
            raise MeetingAlreadyHeld("a meeting that has been held cannot be rescheduled")
        self.record(
            self.Rescheduled,
            scheduled_for=as_utc(scheduled_for),
            reason=require_text(reason, "reason"),
            by=by,
        )

    def cancel(self, *, reason: str, by: Envelope) -> None:
        self._require_not_cancelled()
        if self.status is MeetingStatus.HELD:
            raise MeetingAlreadyHeld("a meeting that has been held cannot be cancelled")
        self.record(self.Cancelled, reason=require_text(reason, "reason"), by=by)

    def hold(self, *, held_at: datetime, format: MeetingFormat, by: Envelope) -> None:
        self._require_not_cancelled()
        if self.status is MeetingStatus.HELD:
            raise MeetingAlreadyHeld(f"the meeting was already held at {self.held_at}")
        held_at = require_past(as_utc(held_at), "held at")
        if held_at < self.concern_raised_at:
            raise InvalidInput(
                f"held at {held_at.isoformat()} is before the concern was raised "
                f"({self.concern_raised_at.isoformat()})"
            )
        self.record(self.Held, held_at=held_at, format=format, by=by)

    def record_attendance(
        self, *, agency: str, role: str | None, attended: bool, note: str | None, by: Envelope
    ) -> None:
        held_on = self._require_held("attendance")
        if agency not in self.invited_agencies:
            raise AgencyNotInvited(
                f"{agency} was not invited to this meeting; record the invitation first"
            )
        entry = AttendanceEntry(agency, role, attended, note)
        self.record(self.AttendanceRecorded, **vars(entry), effective_on=held_on, by=by)

    def record_decision(self, *, decision: Decision, rationale: str, by: Envelope) -> None:
        held_on = self._require_held("a decision")
        self.record(
            self.DecisionRecorded,
            decision=decision,
            rationale=require_text(rationale, "rationale"),
            effective_on=held_on,
            by=by,
        )

    def agree_action(self, *, action_id: UUID, agreed_on: date, by: Envelope) -> None:
        """Link an action agreed at this meeting on ``agreed_on``."""
        held_on = self._require_held("an agreed action")
        if agreed_on < held_on:
            raise AgreedBeforeMeeting(
                f"an action agreed at this meeting cannot be agreed on {agreed_on.isoformat()}, "
                f"before the meeting was held ({held_on.isoformat()})"
            )
        self.record(self.ActionAgreed, action_id=action_id, agreed_on=agreed_on, by=by)

    def share_record(self, *, shared_at: datetime, agencies: list[str], by: Envelope) -> None:
        self._require_held("sharing the record")
        shared_at = require_past(as_utc(shared_at), "shared at")
        assert self.held_at is not None
        if shared_at < self.held_at:
            raise InvalidInput("a record cannot be shared before the meeting was held")
        if not agencies:
            raise InvalidInput("name at least one agency the record was shared with")
        self.record(self.RecordShared, shared_at=shared_at, agencies=sorted(set(agencies)), by=by)

    def assess_quality(
        self,
        *,
        rating: QualityRating,
        audit_ref: str,
        notes: str | None,
        assessed_on: date | None,
        by: Envelope,
    ) -> None:
        """Assess the record's quality on ``assessed_on`` (default today): not before the
        meeting was held, nor in the future."""
        held_on = self._require_held("a record quality assessment")
        day = require_past_date(assessed_on or london_today(), "assessed on")
        if day < held_on:
            raise InvalidInput(
                f"assessed on {day.isoformat()} is before the meeting was held "
                f"({held_on.isoformat()})"
            )
        self.record(
            self.QualityAssessed,
            rating=rating,
            audit_ref=require_text(audit_ref, "audit reference"),
            notes=notes,
            assessed_on=day,
            by=by,
        )
