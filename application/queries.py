"""Queries: one typed object per thing a user can ask of the records without changing them.

The front ends parse their input into these; ``permissions.QUERY_READERS`` says which roles may
ask each one, as ``authorize_command`` does for commands. Values left ``None`` take the defaults
(today, the reporting period ending today) in one place: ``reporting_period`` and the facade of
``infrastructure.presentation``. Each query checks its own filters (``check``, ``period``), so that
a code no record can hold or a period ending before it starts is refused the same way by every
front end, never answered empty.

Each field a user gives is declared once, with ``asked``: its input type (``application.inputs``),
what it means, its public name, its default, its label in a form and the fields it excludes.
The HTTP query parameters, the CLI's options, the console's filter forms and the docs' parameter
tables are all derived from these declarations (``asked_fields``), as command bodies are from
the command models.
"""

from collections.abc import Callable
from dataclasses import MISSING, Field, dataclass, field, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from application.inputs import (
    DEFAULT_PAGE,
    MAX_PAGE,
    CheckpointSeq,
    Code,
    Day,
    InvalidFilter,
    Moment,
    PageSize,
    Position,
    Version,
    require_known,
    require_ordered,
)
from domain.codes import ActionSourceKind, ActionStatus, MeetingStatus, Rag, RecommendationStatus
from domain.events import TrailAggregate
from domain.reference import ReferenceData

#: By default a period is this many calendar months, its last the month of its end.
DEFAULT_PERIOD_MONTHS = 12
KNOWN_AT = "as the records stood at this timestamp (ISO 8601 with offset)"
#: A recorded time in the console's forms, which read one without offset as London time.
KNOWN_AT_LABEL = "As known at (London time)"
OWN_AGENCY = "only this agency's actions (agency staff: their own, whatever they ask)"
PAGE_LIMIT = f"at most this many (1-{MAX_PAGE})"
AGGREGATE_ID = "the id of a meeting, recommendation or action"


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
    #: The HTTP parameter and CLI option (``--<name>``), when not the field's name; a
    #: positional field's path segment and argument.
    name: str | None = None
    #: In the path of the HTTP route and a positional argument of the CLI.
    positional: bool = False
    #: Listed after the query's other fields (a page's ``limit`` and ``after``).
    last: bool = False
    #: The console form's label, when not the description capitalised.
    label: str | None = None
    #: Offered by the console's forms (not a page's ``limit`` and ``after``, which its pager
    #: carries, nor an older name).
    form: bool = True
    #: Fields of one group are given at most one at a time (the CLI's options exclude each
    #: other; the query's ``check`` refuses more).
    one_of: str | None = None


def asked(  # noqa: PLR0913 - each keyword is one part of the declaration
    description: str = "",
    *,
    default: Any = None,
    name: str | None = None,
    positional: bool = False,
    last: bool = False,
    label: str | None = None,
    form: bool = True,
    one_of: str | None = None,
) -> Any:
    """A query field a user gives (required when positional, or when ``default`` is
    ``MISSING``)."""
    about = Asked(description, name, positional, last, label, form, one_of)
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
    #: The console form's label.
    label: str
    #: Offered by the console's forms.
    form: bool
    #: The group of fields given at most one at a time, if any.
    one_of: str | None

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
            about.label or _capitalised(about.description),
            about.form,
            about.one_of,
        )
        for f, about in sorted(declared, key=lambda pair: pair[1].last)
    ]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


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

    from_date: Day | None = asked(
        "YYYY-MM-DD (default: 12 months to 'to')", name="from", label="From"
    )
    to_date: Day | None = asked("YYYY-MM-DD (default: today)", name="to", label="To")

    def period(self, today: date) -> tuple[date, date]:
        """The period with its defaults (``reporting_period``), refused if it ends before it
        starts: given so, or because ``from`` is after today and ``to`` was left out."""
        start, end = reporting_period(self.from_date, self.to_date, today)
        require_ordered(start, end, ("from", "to"))
        return start, end


@dataclass(frozen=True)
class OverdueQuery(Query):
    """Actions open and past their due date on ``as_of``."""

    as_of: Day | None = asked("YYYY-MM-DD (default: today)", label="As of (day)")
    agency: Code | None = asked(OWN_AGENCY, label="Agency")
    known_at: Moment | None = asked(KNOWN_AT, label=KNOWN_AT_LABEL)

    def check(self, reference: ReferenceData) -> None:
        require_known(self.agency, reference.agencies, "agency")


@dataclass(frozen=True)
class CompletedLateQuery(OverPeriod, Query):
    """Actions completed in the period after the due date in force on completion."""

    agency: Code | None = asked(
        "the agency owning the action on its completion date (agency staff: their own, "
        "whatever they ask)",
        label="Agency",
    )
    known_at: Moment | None = asked(KNOWN_AT, label=KNOWN_AT_LABEL)

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


#: The point a record is read at, as known: at most one of these.
RECORDED = "recorded"


@dataclass(frozen=True)
class StateQuery(Query):
    """One aggregate's state: now; as it stood on the day ``as_of`` (facts effective by then);
    as known at a recorded time, given as ``known_at``, ``at`` (its older name) or ``version``
    (at most one of them); or both a day and a recorded time."""

    purpose: ClassVar[str] = "read meetings, recommendations and actions"

    aggregate_id: UUID = asked(AGGREGATE_ID, positional=True, name="id")
    as_of: Day | None = asked(
        "the state as it stood on this day: the facts effective on or before it, applied in "
        "the order they took effect",
        label="As it stood on",
    )
    known_at: Moment | None = asked(
        "only what had been recorded by this time (ISO 8601, with offset); with as_of, the "
        "day as the records stood then",
        label="As known at",
        one_of=RECORDED,
    )
    at: Moment | None = asked("the same as known_at (its older name)", form=False, one_of=RECORDED)
    version: Version | None = asked(
        "only the events up to this version (not with known_at or at)",
        label="or version",
        one_of=RECORDED,
    )
    #: The kind of aggregate the route or page reads (any, by default).
    kind: type[TrailAggregate] = TrailAggregate

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
class TimelineQuery(StateQuery):
    """A record's page (or printout) at a point: its state as ``StateQuery`` answers it, the
    versions of the events it is made of and, for a recommendation and a reader of the reports,
    its response history."""


@dataclass(frozen=True)
class HistoryQuery(Query):
    """Every event of one aggregate, oldest first."""

    purpose: ClassVar[str] = "read meetings, recommendations and actions"

    aggregate_id: UUID = asked(AGGREGATE_ID, positional=True, name="id")
    kind: type[TrailAggregate] = TrailAggregate


@dataclass(frozen=True)
class ExportQuery(OverPeriod, Query):
    """Every report as a table: overdue as of ``as_of``, the others over one period."""

    purpose: ClassVar[str] = "export the read models"

    as_of: Day | None = asked("overdue as of (default: today)")


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

    start: CheckpointSeq | None = asked(
        "verify from this checkpoint (its `seq`) on, rather than from the first event",
        name="from",
    )
    #: Public keys trusted besides the configured ones, and the witness file of checkpoints
    #: to compare with (the command line's ``--public-key`` and ``--witness``).
    public_keys: Path | None = None
    witness: Path | None = None
    #: Told how far verification has gone: positions done, positions to do (a progress bar).
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PackQuery(Query):
    """An inspection pack: the reports as of the day ``as_of`` (over the period ``from_date``
    to ``as_of``, by default about a year), as known at ``known_at``, computed at checkpoint
    ``checkpoint`` (by default the first that covers every event recorded by ``known_at``)."""

    purpose: ClassVar[str] = "make or check inspection packs"

    as_of: Day = asked("the day the reports stand on", default=MISSING, label="As of (day)")
    known_at: Moment = asked(
        "only what was recorded by this time (ISO 8601 with offset; past)",
        default=MISSING,
        label=KNOWN_AT_LABEL,
    )
    from_date: Day | None = asked(
        "the period's first day (default: a year)",
        name="from",
        label="From (day; default a year before)",
    )
    checkpoint: CheckpointSeq | None = asked(
        "compute at this checkpoint (`seq`); default: the first that covers `known_at` (one "
        "is made if none does)",
        label="At checkpoint (default: the first that covers that time)",
    )

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

    limit: PageSize = asked(PAGE_LIMIT, default=DEFAULT_PAGE, last=True, form=False)
    after: Position = asked(
        "the next_after of the previous page (default: from the first)",
        default=0,
        last=True,
        form=False,
    )


@dataclass(frozen=True)
class MeetingListQuery(Query, Paged):
    purpose: ClassVar[str] = "list meetings"

    status: MeetingStatus | None = asked("the meeting's status", label="Status")
    team: Code | None = asked("the team", label="Team")
    held_from: Day | None = asked("held on or after (YYYY-MM-DD)", label="Held on or after")
    held_to: Day | None = asked("held on or before (YYYY-MM-DD)", label="Held on or before")
    case_ref: Code | None = asked("the case's reference", label="Case reference")

    def check(self, reference: ReferenceData) -> None:
        require_ordered(self.held_from, self.held_to, ("held_from", "held_to"))


@dataclass(frozen=True)
class RecommendationListQuery(Query, Paged):
    purpose: ClassVar[str] = "list recommendations"

    status: RecommendationStatus | None = asked("the recommendation's status", label="Status")
    rag: Rag | None = asked("its RAG rating", label="RAG")
    source_ref: Code | None = asked(
        "the audit, review or inspection", label="Audit, review or inspection"
    )


@dataclass(frozen=True)
class ActionListQuery(Query, Paged):
    """Agency staff see only their own agency's actions, whatever they ask."""

    purpose: ClassVar[str] = "list actions"

    agency: Code | None = asked("the owning agency (agency staff: their own only)", label="Agency")
    status: ActionStatus | None = asked("the action's status", label="Status")
    due_before: Day | None = asked("due strictly before (YYYY-MM-DD)", label="Due before")
    source_kind: ActionSourceKind | None = asked("what the action came from", label="Source")
    source_ref: Code | None = asked(
        "the audit, review, inspection or meeting", label="Source reference"
    )

    def check(self, reference: ReferenceData) -> None:
        require_known(self.agency, reference.agencies, "agency")
