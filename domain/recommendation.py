"""The Recommendation aggregate: raised, answered by dated responses, assured, closed."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from domain.clock import london_today
from domain.codes import AssuranceKind, Rag, RecommendationStatus
from domain.errors import (
    BeforeRaised,
    ClosureNotAllowed,
    InvalidInput,
    NoSuchResponse,
    OutOfOrder,
    RecommendationClosed,
    RecommendationNotClosed,
)
from domain.events import (
    Envelope,
    SetsStatus,
    Standing,
    StatusChange,
    TakesEffectOn,
    TakesEffectWhenAgreed,
    TrailAggregate,
)
from domain.rules import require_past_date, require_text
from domain.values import Measure, RecommendationSource


@dataclass(frozen=True)
class Correction:
    text: str
    reason: str
    recorded_at: datetime
    by: str


@dataclass(frozen=True)
class Response:
    number: int
    text: str
    dated: date
    agency: str | None
    recorded_at: datetime
    by: str
    original_text: str
    corrections: tuple[Correction, ...] = field(default=())


@dataclass(frozen=True)
class Assurance:
    kind: AssuranceKind
    dated: date
    sample_size: int
    measures: tuple[Measure, ...]
    summary: str


class Recommendation(TrailAggregate):
    TOPIC = "actiontrail.Recommendation"

    class Event(TrailAggregate.Event):
        TOPIC = "actiontrail.Recommendation.Event"

    class Raised(Event, TrailAggregate.Created):
        TOPIC = "actiontrail.Recommendation.Raised"
        source: RecommendationSource
        number: int
        text: str
        raised_on: date

        @property
        def effective(self) -> date:
            return self.raised_on

        def apply(self, aggregate: "Recommendation") -> None:
            self.copy_facts(aggregate)
            aggregate.status_since = self.raised_on

    class ResponseRecorded(Event):
        TOPIC = "actiontrail.Recommendation.ResponseRecorded"
        number: int
        text: str
        dated: date
        agency: str | None

        @property
        def effective(self) -> date:
            return self.dated

        def apply(self, aggregate: "Recommendation") -> None:
            aggregate.responses.append(
                Response(
                    **self.data(),
                    recorded_at=self.timestamp,
                    by=self.actor.user_id,
                    original_text=self.text,
                )
            )

    class ResponseCorrected(Event):
        TOPIC = "actiontrail.Recommendation.ResponseCorrected"
        number: int
        text: str
        reason: str

        def apply(self, aggregate: "Recommendation") -> None:
            index = next(i for i, r in enumerate(aggregate.responses) if r.number == self.number)
            response = aggregate.responses[index]
            correction = Correction(self.text, self.reason, self.timestamp, self.actor.user_id)
            aggregate.responses[index] = replace(
                response, text=self.text, corrections=(*response.corrections, correction)
            )

    class ActionLinked(TakesEffectWhenAgreed, Event):
        """An action agreed on the recommendation, on the day the action was agreed."""

        TOPIC = "actiontrail.Recommendation.ActionLinked"
        action_id: UUID
        agreed_on: date

        @property
        def linked_aggregate_id(self) -> UUID:
            return self.action_id

        def apply(self, aggregate: "Recommendation") -> None:
            aggregate.action_ids.append(self.action_id)

    class AssuranceRecorded(Event):
        TOPIC = "actiontrail.Recommendation.AssuranceRecorded"
        kind: AssuranceKind
        dated: date
        sample_size: int
        measures: list[Measure]
        summary: str

        @property
        def effective(self) -> date:
            return self.dated

        def apply(self, aggregate: "Recommendation") -> None:
            aggregate.assurances.append(
                Assurance(
                    self.kind, self.dated, self.sample_size, tuple(self.measures), self.summary
                )
            )

    class StatusChanged(TakesEffectOn, Event):
        TOPIC = "actiontrail.Recommendation.StatusChanged"
        status: RecommendationStatus
        rag: Rag | None
        reason: str
        effective_on: date

        def apply(self, aggregate: "Recommendation") -> None:
            aggregate.status = self.status
            aggregate.rag = self.rag
            aggregate.status_since = self.effective_on

    class Closed(SetsStatus, TakesEffectOn, Event):
        TOPIC = "actiontrail.Recommendation.Closed"
        BECOMES = RecommendationStatus.CLOSED
        evidence: str
        reason: str
        override: bool
        open_action_ids: list[UUID]
        effective_on: date

        def apply(self, aggregate: "Recommendation") -> None:
            super().apply(aggregate)
            aggregate.closed_on = self.effective_on

    class Reopened(StatusChange, Event):
        TOPIC = "actiontrail.Recommendation.Reopened"
        BECOMES = RecommendationStatus.IN_PROGRESS

    STANDINGS = {StatusChanged: Standing("status", ("status", "rag"))}
    CHANGES = {
        ResponseRecorded: frozenset({"responses"}),
        ResponseCorrected: frozenset({"responses"}),
        ActionLinked: frozenset({"action_ids"}),
        AssuranceRecorded: frozenset({"assurances"}),
        StatusChanged: frozenset({"status", "rag", "status_since"}),
        Closed: frozenset({"status", "closed_on", "status_since"}),
        Reopened: frozenset({"status", "status_since"}),
    }

    source: RecommendationSource
    number: int
    text: str
    raised_on: date
    #: When the current status took effect.
    status_since: date

    def __init__(self) -> None:
        super().__init__()
        self.status = RecommendationStatus.OPEN
        self.rag: Rag | None = None
        self.closed_on: date = date.min
        self.responses: list[Response] = []
        self.action_ids: list[UUID] = []
        self.assurances: list[Assurance] = []

    @classmethod
    def raise_(  # noqa: PLR0913 - one keyword per fact of the event it records
        cls,
        *,
        id: UUID,
        source: RecommendationSource,
        number: int,
        text: str,
        raised_on: date,
        by: Envelope,
    ) -> "Recommendation":
        if number < 1:
            raise InvalidInput("a recommendation number starts at 1")
        return cls.create(
            cls.Raised,
            id=id,
            source=source,
            number=number,
            text=require_text(text, "text"),
            raised_on=require_past_date(raised_on, "raised on"),
            by=by,
        )

    @property
    def is_closed(self) -> bool:
        return self.status is RecommendationStatus.CLOSED

    def describe_start(self) -> str:
        return (
            f"recommendation {self.number} of {self.source.ref} was raised on "
            f"{self.raised_on.isoformat()}"
        )

    @property
    def status_history(
        self,
    ) -> list["Recommendation.StatusChanged | Recommendation.Closed | Recommendation.Reopened"]:
        """Every change of status, closing and reopening, in the order they took effect."""
        return [p.event for p in self.timeline if isinstance(p.event, STATUS_EVENTS)]

    def _not_before_raised(self, day: date, what: str) -> date:
        if day < self.raised_on:
            raise BeforeRaised(
                f"{what} {day.isoformat()} is before recommendation {self.number} was raised "
                f"({self.raised_on.isoformat()})"
            )
        return day

    def _require_open(self, what: str) -> None:
        if self.is_closed:
            raise RecommendationClosed(
                f"recommendation {self.number} is closed; reopen it before {what}"
            )

    def record_response(self, *, text: str, dated: date, agency: str | None, by: Envelope) -> None:
        self._require_open("recording a response")
        self.record(
            self.ResponseRecorded,
            number=len(self.responses) + 1,
            text=require_text(text, "response text"),
            dated=self._not_before_raised(require_past_date(dated, "response dated"), "dated"),
            agency=agency,
            by=by,
        )

    def correct_response(self, *, number: int, text: str, reason: str, by: Envelope) -> None:
        self._require_open("correcting a response")
        if not 1 <= number <= len(self.responses):
            raise NoSuchResponse(
                f"recommendation {self.number} has {len(self.responses)} response(s); "
                f"there is no response {number}"
            )
        self.record(
            self.ResponseCorrected,
            number=number,
            text=require_text(text, "corrected text"),
            reason=require_text(reason, "reason"),
            by=by,
        )

    def link_action(self, *, action_id: UUID, agreed_on: date, by: Envelope) -> None:
        """Link an action agreed on the recommendation on ``agreed_on`` (which may be before
        it was raised: work already done that the response reports; the link then takes its
        place on the day the recommendation was raised)."""
        self._require_open("linking an action")
        self.record(self.ActionLinked, action_id=action_id, agreed_on=agreed_on, by=by)

    def record_assurance(  # noqa: PLR0913 - one keyword per fact of the event it records
        self,
        *,
        kind: AssuranceKind,
        dated: date,
        sample_size: int,
        measures: list[Measure],
        summary: str,
        by: Envelope,
    ) -> None:
        if sample_size < 0:
            raise InvalidInput("a sample size cannot be negative")
        too_big = [m.name for m in measures if m.denominator > sample_size]
        if too_big:
            named = ", ".join(repr(name) for name in too_big[:3])
            more = f" and {len(too_big) - 3} more" if len(too_big) > 3 else ""
            raise InvalidInput(
                f"measures {named}{more} count more than the sample of {sample_size}"
            )
        self.record(
            self.AssuranceRecorded,
            kind=kind,
            dated=self._not_before_raised(require_past_date(dated, "assurance dated"), "dated"),
            sample_size=sample_size,
            measures=list(measures),
            summary=require_text(summary, "summary"),
            by=by,
        )

    def _effective(self, effective_on: date | None) -> date:
        """The date a change of standing takes effect: given or today, not in the future, not
        before the recommendation was raised."""
        day = require_past_date(effective_on or london_today(), "effective on")
        return self._not_before_raised(day, "effective on")

    def change_status(
        self,
        *,
        status: RecommendationStatus,
        rag: Rag | None,
        reason: str,
        effective_on: date | None,
        by: Envelope,
    ) -> None:
        """A change of status, slotted in among the others by the day it took effect: one
        back-dated before a later change is history, not the current status."""
        self._require_open("changing its status")
        if status is RecommendationStatus.CLOSED:
            raise InvalidInput("close a recommendation with the close command, giving evidence")
        day = self._effective(effective_on)
        then = self.on_day(day)
        if then.is_closed:
            raise OutOfOrder(
                f"recommendation {self.number} was closed on {then.closed_on.isoformat()} and "
                f"still closed on {day.isoformat()}; a change of status cannot take effect then"
            )
        self.record(
            self.StatusChanged,
            status=status,
            rag=rag,
            reason=require_text(reason, "reason"),
            effective_on=day,
            by=by,
        )

    def close(  # noqa: PLR0913 - one keyword per fact of the event it records
        self,
        *,
        evidence: str,
        reason: str,
        override: bool,
        open_action_ids: list[UUID],
        effective_on: date | None,
        by: Envelope,
    ) -> None:
        """Close; ``open_action_ids`` are the linked actions neither completed nor cancelled."""
        self._require_open("closing it again")
        day = self._effective(effective_on)
        if day < self.status_since:
            raise OutOfOrder(
                f"effective on {day.isoformat()} is before recommendation {self.number} became "
                f"{self.status.value} ({self.status_since.isoformat()})"
            )
        if not self.responses:
            raise ClosureNotAllowed(
                f"recommendation {self.number} has no response yet; record one before closing"
            )
        if open_action_ids and not override:
            raise ClosureNotAllowed(
                f"{len(open_action_ids)} linked action(s) are still open; complete or cancel "
                "them, or close with override and a reason"
            )
        self.record(
            self.Closed,
            evidence=require_text(evidence, "evidence"),
            reason=require_text(reason, "reason"),
            override=override,
            open_action_ids=list(open_action_ids),
            effective_on=day,
            by=by,
        )

    def reopen(self, *, reason: str, effective_on: date | None, by: Envelope) -> None:
        if not self.is_closed:
            raise RecommendationNotClosed(f"recommendation {self.number} is not closed")
        day = self._effective(effective_on)
        if day < self.closed_on:
            raise OutOfOrder(
                f"effective on {day.isoformat()} is before recommendation {self.number} was "
                f"closed ({self.closed_on.isoformat()})"
            )
        self.record(self.Reopened, reason=require_text(reason, "reason"), effective_on=day, by=by)


STATUS_EVENTS = (Recommendation.StatusChanged, Recommendation.Closed, Recommendation.Reopened)
