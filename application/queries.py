"""Queries: one typed object per thing a user can ask of the records without changing them.

The front ends parse their input into these; ``permissions.QUERY_READERS`` says which roles may
ask each one, as ``authorize_command`` does for commands. Values left ``None`` take the defaults
(today, the reporting period ending today) in one place: ``reporting_period`` and the facade of
``infrastructure.presentation``. Each query checks its own filters (``check``, ``period``), so that
a code no record can hold or a period ending before it starts is refused the same way by every
front end, never answered empty.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar, Literal, get_args
from uuid import UUID

from application.inputs import DEFAULT_PAGE, InvalidFilter, require_known, require_ordered
from domain.codes import ActionSourceKind, ActionStatus, MeetingStatus, Rag, RecommendationStatus
from domain.events import TrailAggregate
from domain.reference import ReferenceData

#: By default a period is this many calendar months, its last the month of its end.
DEFAULT_PERIOD_MONTHS = 12


def first_of_months_before(day: date, months: int) -> date:
    """The first of the month ``months`` calendar months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def reporting_period(
    from_date: date | None, to_date: date | None, today: date
) -> tuple[date, date]:
    """The period a report covers: ``to`` defaults to today, ``from`` to the first of the month
    that makes ``DEFAULT_PERIOD_MONTHS`` whole calendar months (``to``'s month the last)."""
    end = to_date or today
    return from_date or first_of_months_before(end, DEFAULT_PERIOD_MONTHS - 1), end


@dataclass(frozen=True)
class Query:
    #: What asking it is, as a refusal names it: "the reporting role may not <purpose>".
    purpose: ClassVar[str] = "read reports"

    def check(self, reference: ReferenceData) -> None:
        """Refuse a filter that could only mislead (``InvalidFilter``); most have none."""


@dataclass(frozen=True)
class OverPeriod:
    """What a query over a period, ``from`` to ``to`` inclusive, has (mixed into the query)."""

    from_date: date | None = None
    to_date: date | None = None

    def period(self, today: date) -> tuple[date, date]:
        """The period with its defaults (``reporting_period``), refused if it ends before it
        starts: given so, or because ``from`` is after today and ``to`` was left out."""
        start, end = reporting_period(self.from_date, self.to_date, today)
        require_ordered(start, end, ("from", "to"))
        return start, end


@dataclass(frozen=True)
class OverdueQuery(Query):
    as_of: date | None = None
    #: Agency staff see only their own agency's actions, whatever they ask.
    agency: str | None = None
    known_at: datetime | None = None

    def check(self, reference: ReferenceData) -> None:
        require_known(self.agency, reference.agencies, "agency")


@dataclass(frozen=True)
class CompletedLateQuery(OverPeriod, Query):
    """Actions completed in the period after the due date in force on completion."""

    #: Agency staff see only their own agency's actions, whatever they ask.
    agency: str | None = None
    known_at: datetime | None = None

    def check(self, reference: ReferenceData) -> None:
        require_known(self.agency, reference.agencies, "agency")


#: How attendance may be grouped.
Grouping = Literal["month", "team"]
GROUPINGS: tuple[Grouping, ...] = get_args(Grouping)


@dataclass(frozen=True)
class AttendanceQuery(OverPeriod, Query):
    group_by: Grouping = "month"
    known_at: datetime | None = None

    def check(self, reference: ReferenceData) -> None:
        require_known(self.group_by, GROUPINGS, "group_by")


@dataclass(frozen=True)
class TimelinessQuery(OverPeriod, Query):
    known_at: datetime | None = None


@dataclass(frozen=True)
class LatestPeriodQuery(Query):
    """The default period of a board pack: the ``DEFAULT_PERIOD_MONTHS`` months ending with
    the last day of the latest month a meeting was held in (today if that month is this one;
    the months to today when no meeting was held), so that it shows the records there are."""

    def period(self, latest_held_on: date | None, today: date) -> tuple[date, date]:
        if latest_held_on is None or latest_held_on >= first_of_months_before(today, 0):
            return reporting_period(None, None, today)
        end = first_of_months_before(latest_held_on, -1) - timedelta(days=1)
        return reporting_period(None, end, today)


@dataclass(frozen=True)
class QueueQuery(Query):
    """Agency submissions waiting for governance's decision, oldest first."""

    purpose: ClassVar[str] = "read the work queue"


@dataclass(frozen=True)
class QualityQuery(Query):
    audit_ref: str


@dataclass(frozen=True)
class ResponsesQuery(Query):
    recommendation_id: UUID


@dataclass(frozen=True)
class AuditLogQuery(Query):
    purpose: ClassVar[str] = "read the audit log"

    aggregate_id: UUID | None = None
    aggregate_type: str | None = None
    user: str | None = None
    agency: str | None = None
    type: str | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    after: int = 0
    limit: int = DEFAULT_PAGE

    def check(self, reference: ReferenceData) -> None:
        # Imported when asked: the catalogue loads every aggregate, which a command line that
        # only builds its parser need not.
        from domain.event_types import AGGREGATE_TYPES, EVENT_TYPES

        require_known(self.aggregate_type, AGGREGATE_TYPES, "aggregate type")
        require_known(self.type, EVENT_TYPES, "event type")
        require_known(self.agency, reference.agencies, "agency")
        require_ordered(self.recorded_from, self.recorded_to, ("from", "to"))


@dataclass(frozen=True)
class FeedQuery(Query):
    purpose: ClassVar[str] = "read the event feed"

    after: int = 0
    limit: int = DEFAULT_PAGE


@dataclass(frozen=True)
class StatusQuery(Query):
    purpose: ClassVar[str] = "read the projections' status"


@dataclass(frozen=True)
class StateQuery(Query):
    """One aggregate's state: now; as it stood on the day ``as_of`` (facts effective by then);
    as known at a recorded time, given as ``known_at``, ``at`` (its older name) or ``version``
    (at most one of them); or both a day and a recorded time."""

    purpose: ClassVar[str] = "read meetings, recommendations and actions"

    aggregate_id: UUID
    kind: type[TrailAggregate] = TrailAggregate
    version: int | None = None
    at: datetime | None = None
    as_of: date | None = None
    known_at: datetime | None = None

    def check(self, reference: ReferenceData) -> None:
        moments = (("version", self.version), ("at", self.at), ("known_at", self.known_at))
        given = [name for name, value in moments if value is not None]
        if len(given) > 1:
            raise InvalidFilter(
                f"give one of version, at and known_at, not {' and '.join(given)}: each says "
                "when the records are read as known"
            )

    @property
    def is_now(self) -> bool:
        return all(v is None for v in (self.version, self.at, self.as_of, self.known_at))

    @property
    def recorded_by(self) -> datetime | None:
        """The recorded time asked for (``known_at``, or ``at``)."""
        return self.known_at or self.at


@dataclass(frozen=True)
class HistoryQuery(Query):
    """Every event of one aggregate, oldest first."""

    purpose: ClassVar[str] = "read meetings, recommendations and actions"

    aggregate_id: UUID
    kind: type[TrailAggregate] = TrailAggregate


@dataclass(frozen=True)
class ExportQuery(OverPeriod, Query):
    """Every report as a table: overdue as of ``as_of``, the others over one period."""

    purpose: ClassVar[str] = "export the read models"

    as_of: date | None = None


@dataclass(frozen=True)
class UsersQuery(Query):
    """Every user, revoked ones included; never a token."""

    purpose: ClassVar[str] = "list users"


@dataclass(frozen=True)
class ReferenceQuery(Query):
    """The code lists, statutory partners and timescales."""

    purpose: ClassVar[str] = "read the reference data"


@dataclass(frozen=True)
class IntegrityQuery(Query):
    """The log verified against its hash chain and signed checkpoints (from checkpoint
    ``start`` when given)."""

    purpose: ClassVar[str] = "verify the log's integrity"

    start: int | None = None


@dataclass(frozen=True)
class PackQuery(Query):
    """An inspection pack: the reports as of the day ``as_of`` (over the period ``from_date``
    to ``as_of``, by default about a year), as known at ``known_at``, computed at checkpoint
    ``checkpoint`` (by default the first that covers every event recorded by ``known_at``)."""

    purpose: ClassVar[str] = "make or check inspection packs"

    as_of: date
    known_at: datetime
    from_date: date | None = None
    checkpoint: int | None = None

    def check(self, reference: ReferenceData) -> None:
        require_ordered(self.from_date, self.as_of, ("from", "as_of"))

    def period(self) -> tuple[date, date]:
        return reporting_period(self.from_date, self.as_of, self.as_of)


@dataclass(frozen=True)
class PublicKeyQuery(Query):
    """The public key that verifies the log's checkpoints."""

    purpose: ClassVar[str] = "read the checkpoints' public key"


@dataclass(frozen=True)
class Paged:
    """One page of a list, oldest first by the date it shows (``projections.listing``): the
    aggregates after the one created at position ``after``."""

    after: int = 0
    limit: int = DEFAULT_PAGE


@dataclass(frozen=True)
class MeetingListQuery(Query, Paged):
    purpose: ClassVar[str] = "list meetings"

    status: MeetingStatus | None = None
    team: str | None = None
    held_from: date | None = None
    held_to: date | None = None
    case_ref: str | None = None

    def check(self, reference: ReferenceData) -> None:
        require_ordered(self.held_from, self.held_to, ("held_from", "held_to"))


@dataclass(frozen=True)
class RecommendationListQuery(Query, Paged):
    purpose: ClassVar[str] = "list recommendations"

    status: RecommendationStatus | None = None
    rag: Rag | None = None
    source_ref: str | None = None


@dataclass(frozen=True)
class ActionListQuery(Query, Paged):
    """Agency staff see only their own agency's actions, whatever they ask."""

    purpose: ClassVar[str] = "list actions"

    agency: str | None = None
    status: ActionStatus | None = None
    due_before: date | None = None
    source_kind: ActionSourceKind | None = None
    source_ref: str | None = None

    def check(self, reference: ReferenceData) -> None:
        require_known(self.agency, reference.agencies, "agency")
