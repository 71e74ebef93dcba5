"""Queries: one typed object per thing a user can ask of the records without changing them.

The front ends parse their input into these; ``permissions.QUERY_READERS`` says which roles may
ask each one, as ``authorize_command`` does for commands. Values left ``None`` take the defaults
(today, the reporting period ending today) in one place: ``reporting_period`` and the facade of
``infrastructure.presentation``. Each query checks its own filters (``check``, ``period``), so that
a code no record can hold or a period ending before it starts is refused the same way by every
front end, never answered empty.

Each field a user gives is declared once, with ``asked``: its input type (``application.inputs``),
what it means, its public name and its default. The HTTP query parameters, the CLI's options, the
console's filters and the docs' parameter tables are all derived from these declarations
(``asked_fields``), as command bodies are from the command models.
"""

from dataclasses import MISSING, Field, dataclass, field, fields
from datetime import date, datetime, timedelta
from types import NoneType, UnionType
from typing import Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from application.inputs import (
    DEFAULT_PAGE,
    MAX_PAGE,
    Code,
    Day,
    InvalidFilter,
    Moment,
    PageSize,
    Position,
    require_known,
    require_ordered,
)
from domain.codes import ActionSourceKind, ActionStatus, MeetingStatus, Rag, RecommendationStatus
from domain.events import TrailAggregate
from domain.reference import ReferenceData

#: By default a period is this many calendar months, its last the month of its end.
DEFAULT_PERIOD_MONTHS = 12
KNOWN_AT = "as the records stood at this timestamp (ISO 8601 with offset)"
OWN_AGENCY = "only this agency's actions (agency staff: their own, whatever they ask)"
PAGE_LIMIT = f"at most this many (1-{MAX_PAGE})"


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


#: The key of a field's ``Asked`` in its dataclass metadata.
ASKED = "asked"


@dataclass(frozen=True)
class Asked:
    """How every front end asks for one field of a query."""

    description: str = ""
    #: The HTTP parameter and CLI option (``--<name>``), when not the field's name.
    name: str | None = None
    #: In the path of the HTTP route and a positional argument of the CLI.
    positional: bool = False
    #: Listed after the query's other fields (a page's ``limit`` and ``after``).
    last: bool = False


def asked(
    description: str = "",
    *,
    default: Any = None,
    name: str | None = None,
    positional: bool = False,
    last: bool = False,
) -> Any:
    """A query field a user gives (required when positional)."""
    about = Asked(description, name, positional, last)
    if positional:
        return field(metadata={ASKED: about})
    return field(default=default, metadata={ASKED: about})


@dataclass(frozen=True)
class AskedField:
    """One field of a query as the front ends take it."""

    #: The query's field.
    field: str
    #: Its public name (HTTP parameter, ``--option``).
    name: str
    #: Its input type, ``application.inputs``' annotations and all.
    type: Any
    description: str
    default: Any
    positional: bool

    @property
    def required(self) -> bool:
        return self.default is MISSING

    @property
    def value_type(self) -> Any:
        """Its type without ``| None``."""
        if get_origin(self.type) in (Union, UnionType):
            given = [kind for kind in get_args(self.type) if kind is not NoneType]
            if len(given) == 1:
                return given[0]
        return self.type


def asked_fields(query: type["Query"]) -> list[AskedField]:
    """The fields of ``query`` a user gives, in declaration order (``last`` ones last)."""
    hints = get_type_hints(query, include_extras=True)
    declared = [(f, about) for f in fields(query) if (about := _asked(f)) is not None]
    return [
        AskedField(
            f.name,
            about.name or f.name,
            hints[f.name],
            about.description,
            f.default,
            about.positional,
        )
        for f, about in sorted(declared, key=lambda pair: pair[1].last)
    ]


def _asked(f: "Field[Any]") -> Asked | None:
    about = f.metadata.get(ASKED)
    return about if isinstance(about, Asked) else None


@dataclass(frozen=True)
class Query:
    #: What asking it is, as a refusal names it: "the reporting role may not <purpose>".
    purpose: ClassVar[str] = "read reports"

    def check(self, reference: ReferenceData) -> None:
        """Refuse a filter that could only mislead (``InvalidFilter``); most have none."""


@dataclass(frozen=True)
class OverPeriod:
    """What a query over a period, ``from`` to ``to`` inclusive, has (mixed into the query)."""

    from_date: Day | None = asked("YYYY-MM-DD (default: 12 months to 'to')", name="from")
    to_date: Day | None = asked("YYYY-MM-DD (default: today)", name="to")

    def period(self, today: date) -> tuple[date, date]:
        """The period with its defaults (``reporting_period``), refused if it ends before it
        starts: given so, or because ``from`` is after today and ``to`` was left out."""
        start, end = reporting_period(self.from_date, self.to_date, today)
        require_ordered(start, end, ("from", "to"))
        return start, end


@dataclass(frozen=True)
class OverdueQuery(Query):
    """Actions open and past their due date on ``as_of``."""

    as_of: Day | None = asked("YYYY-MM-DD (default: today)")
    agency: Code | None = asked(OWN_AGENCY)
    known_at: Moment | None = asked(KNOWN_AT)

    def check(self, reference: ReferenceData) -> None:
        require_known(self.agency, reference.agencies, "agency")


@dataclass(frozen=True)
class CompletedLateQuery(OverPeriod, Query):
    """Actions completed in the period after the due date in force on completion."""

    agency: Code | None = asked(
        "the agency owning the action on its completion date (agency staff: their own, "
        "whatever they ask)"
    )
    known_at: Moment | None = asked(KNOWN_AT)

    def check(self, reference: ReferenceData) -> None:
        require_known(self.agency, reference.agencies, "agency")


#: How attendance may be grouped.
Grouping = Literal["month", "team"]
GROUPINGS: tuple[Grouping, ...] = get_args(Grouping)


@dataclass(frozen=True)
class AttendanceQuery(OverPeriod, Query):
    """Per month or team, meetings held and each statutory partner's invitations and
    attendance."""

    group_by: Grouping = asked("per month or per team", default="month")
    known_at: Moment | None = asked(KNOWN_AT)

    def check(self, reference: ReferenceData) -> None:
        require_known(self.group_by, GROUPINGS, "group_by")


@dataclass(frozen=True)
class TimelinessQuery(OverPeriod, Query):
    """Meetings held and records shared within their timescales."""

    known_at: Moment | None = asked(KNOWN_AT)


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
    audit_ref: Code = asked("the audit's reference", default=MISSING)


@dataclass(frozen=True)
class ResponsesQuery(Query):
    recommendation_id: UUID = asked("the recommendation's id", positional=True)


@dataclass(frozen=True)
class AuditLogQuery(Query):
    purpose: ClassVar[str] = "read the audit log"

    aggregate_id: UUID | None = asked("the aggregate's id")
    aggregate_type: Code | None = asked(
        "StrategyMeeting, Recommendation, AgencyAction or ProjectionSkip"
    )
    user: Code | None = asked("the actor's user id")
    agency: Code | None = asked("the actor's agency or the agency an event names")
    type: Code | None = asked("an event type, e.g. AgencyAction.Completed")
    recorded_from: Moment | None = asked("recorded at or after (timestamp)", name="from")
    recorded_to: Moment | None = asked("recorded at or before (timestamp)", name="to")
    after: Position = asked("events after this position", default=0)
    limit: PageSize = asked(PAGE_LIMIT, default=DEFAULT_PAGE)

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

    after: Position = asked("events after this position", default=0)
    limit: PageSize = asked(PAGE_LIMIT, default=DEFAULT_PAGE)


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

    limit: PageSize = asked(PAGE_LIMIT, default=DEFAULT_PAGE, last=True)
    after: Position = asked(
        "the next_after of the previous page (default: from the first)", default=0, last=True
    )


@dataclass(frozen=True)
class MeetingListQuery(Query, Paged):
    purpose: ClassVar[str] = "list meetings"

    status: MeetingStatus | None = asked("the meeting's status")
    team: Code | None = asked("the team")
    held_from: Day | None = asked("held on or after (YYYY-MM-DD)")
    held_to: Day | None = asked("held on or before (YYYY-MM-DD)")
    case_ref: Code | None = asked("the case's reference")

    def check(self, reference: ReferenceData) -> None:
        require_ordered(self.held_from, self.held_to, ("held_from", "held_to"))


@dataclass(frozen=True)
class RecommendationListQuery(Query, Paged):
    purpose: ClassVar[str] = "list recommendations"

    status: RecommendationStatus | None = asked("the recommendation's status")
    rag: Rag | None = asked("its RAG rating")
    source_ref: Code | None = asked("the audit, review or inspection")


@dataclass(frozen=True)
class ActionListQuery(Query, Paged):
    """Agency staff see only their own agency's actions, whatever they ask."""

    purpose: ClassVar[str] = "list actions"

    agency: Code | None = asked("the owning agency (agency staff: their own only)")
    status: ActionStatus | None = asked("the action's status")
    due_before: Day | None = asked("due strictly before (YYYY-MM-DD)")
    source_kind: ActionSourceKind | None = asked("what the action came from")
    source_ref: Code | None = asked("the audit, review, inspection or meeting")

    def check(self, reference: ReferenceData) -> None:
        require_known(self.agency, reference.agencies, "agency")
