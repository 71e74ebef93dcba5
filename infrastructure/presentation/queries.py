"""The one door of every read: a facade that HTTP, the console and the CLI share.

Each method takes the actor and a query (``application.queries``), authorises it by the
application's role table, has the query check its filters (``Query.check``: an unknown code or
a reversed period is ``InvalidFilter``), applies the defaults (today, the reporting period,
agency staff's own agency) and answers a typed model, users' names beside their ids
(``names.with_names``; events' entries are built named: ``projections.audit_log.entries_of``).
Errors are the application's and the read side's own (``Forbidden``, ``InvalidFilter``,
``NotFound``, ``ProjectionStalled``), which every front end maps; and a pack's ``LogBroken``.

The front ends ask every query through ``ask``; ``ANSWERS`` names the method answering each
kind, and a test checks that every kind has one.
"""

from collections.abc import Callable
from dataclasses import fields
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from application.permissions import authorize_query, may_ask, overdue_scope
from application.queries import (
    ActionListQuery,
    AttendanceQuery,
    AuditLogQuery,
    CompletedLateQuery,
    ExportQuery,
    FeedQuery,
    HistoryQuery,
    IntegrityQuery,
    LatestPeriodQuery,
    MeetingListQuery,
    OverdueQuery,
    PackQuery,
    PublicKeyQuery,
    QualityQuery,
    Query,
    QueueQuery,
    RecommendationListQuery,
    ReferenceQuery,
    ResponsesQuery,
    StateQuery,
    StatusQuery,
    TimelineQuery,
    TimelinessQuery,
    UsersQuery,
)
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.clock import london_today
from domain.codes import Code, Role
from domain.events import TrailAggregate
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from domain.values import Actor
from infrastructure.integrity.report import IntegrityReport
from infrastructure.presentation.as_at import AsAt, response_history_of
from infrastructure.presentation.export import Table, export_tables
from infrastructure.presentation.labels import Labels
from infrastructure.presentation.lists import ActionPage, MeetingPage, RecommendationPage
from infrastructure.presentation.names import with_names
from infrastructure.presentation.reference import Reference
from infrastructure.presentation.sources import Sources
from infrastructure.presentation.states import (
    ActionState,
    AggregateState,
    History,
    MeetingState,
    RecommendationState,
    meeting_summary,
    state_of,
)
from infrastructure.presentation.users import UserView
from projections import models
from projections.audit_log import entries_of
from projections.listing import ActionFilter, MeetingFilter, Paging, RecommendationFilter
from projections.service import ReadService

if TYPE_CHECKING:
    from infrastructure.packs.service import Pack

M = TypeVar("M", bound=BaseModel)
S = TypeVar("S", bound=BaseModel)
F = TypeVar("F", bound=Paging)
R = TypeVar("R", models.OverdueAction, models.CompletedLateRow)


class Projections(BaseModel):
    """Each projection's progress, as ``GET /projections`` and ``projections status`` show it."""

    projections: list[models.ProjectionStatus]


class Queries:
    def __init__(self, sources: Sources, trail: ActionTrail, *, reference: Reference) -> None:
        """``sources`` give the read service, the users store (their list and their names),
        the log's integrity and packs, each when a query first needs it: reading one aggregate
        needs only the application, and a command line builds the read side only for reports.
        ``reference``: the configured code lists and timescales."""
        self._sources = sources
        self.trail = trail
        self._reference = reference

    @property
    def read(self) -> ReadService:
        return self._sources.read

    def ask(self, actor: Actor, query: Query) -> Any:
        """The answer to any query: the role table's check, the query's own, then the answer
        (``ANSWERS`` names the method answering each kind)."""
        return ANSWERS[type(query)](self, actor, query)

    # Reports

    def overdue_actions(self, actor: Actor, query: OverdueQuery) -> models.OverdueActions:
        self.admit(actor, query)
        agency = overdue_scope(actor, query.agency)
        report = self.read.overdue_actions(query.as_of or london_today(), agency, query.known_at)
        return report.model_copy(update={"rows": self._source_labels(report.rows)})

    def completed_late(self, actor: Actor, query: CompletedLateQuery) -> models.CompletedLate:
        self.admit(actor, query)
        agency = overdue_scope(actor, query.agency)
        start, end = query.period(london_today())
        report = self.read.completed_late(start, end, agency, query.known_at)
        return report.model_copy(update={"rows": self._source_labels(report.rows)})

    def attendance_compliance(
        self, actor: Actor, query: AttendanceQuery
    ) -> models.AttendanceCompliance:
        self.admit(actor, query)
        start, end = query.period(london_today())
        return self.read.attendance_compliance(start, end, query.group_by, query.known_at)

    def latest_period(self, actor: Actor, query: LatestPeriodQuery) -> tuple[date, date]:
        self.admit(actor, query)
        return query.period(self.read.latest_held_on(), london_today())

    def meeting_timeliness(self, actor: Actor, query: TimelinessQuery) -> models.MeetingTimeliness:
        self.admit(actor, query)
        start, end = query.period(london_today())
        return self.read.meeting_timeliness(start, end, query.known_at)

    def record_quality(self, actor: Actor, query: QualityQuery) -> models.RecordQuality:
        self.admit(actor, query)
        return self.read.record_quality(query.audit_ref)

    def response_history(self, actor: Actor, query: ResponsesQuery) -> models.ResponseHistory:
        self.admit(actor, query)
        return self._named(self.read.response_history(query.recommendation_id))

    def work_queue(self, actor: Actor, query: QueueQuery) -> models.WorkQueue:
        self.admit(actor, query)
        return self._named(self.read.work_queue(london_today()))

    # Lists: filtered and paged by the read models, each item the aggregate's current state

    def meetings(self, actor: Actor, query: MeetingListQuery) -> MeetingPage:
        self.admit(actor, query)
        page = self.read.meeting_list(_filter(MeetingFilter, query))
        items = [MeetingState.of(self.trail.get(id, actor, StrategyMeeting)) for id in page.ids]
        return self._named(MeetingPage(items=items, next_after=page.next_after))

    def recommendations(self, actor: Actor, query: RecommendationListQuery) -> RecommendationPage:
        self.admit(actor, query)
        page = self.read.recommendation_list(_filter(RecommendationFilter, query))
        items = [
            RecommendationState.of(self.trail.get(id, actor, Recommendation)) for id in page.ids
        ]
        return self._named(RecommendationPage(items=items, next_after=page.next_after))

    def actions(self, actor: Actor, query: ActionListQuery) -> ActionPage:
        """Agency staff's own agency's actions only (``overdue_scope``)."""
        self.admit(actor, query)
        agency = overdue_scope(actor, query.agency)
        page = self.read.action_list(_filter(ActionFilter, query, agency=agency))
        labels = self._labels()
        items = [
            _labelled(ActionState.of(self.trail.get(id, actor, AgencyAction)), labels)
            for id in page.ids
        ]
        return self._named(ActionPage(items=items, next_after=page.next_after))

    # The log and the read models' progress

    def audit_log(self, actor: Actor, query: AuditLogQuery) -> models.LogPage:
        self.admit(actor, query)
        page = self.read.audit_log(query)
        return self._named(page.model_copy(update={"events": self._aggregate_labels(page.events)}))

    def events(self, actor: Actor, query: FeedQuery) -> models.LogPage:
        self.admit(actor, query)
        return self.read.events_after(query.after, query.limit, self._sources.users.names)

    def projections(self, actor: Actor, query: StatusQuery) -> Projections:
        self.admit(actor, query)
        return Projections(projections=self.read.status())

    def export(self, actor: Actor, query: ExportQuery) -> list[Table]:
        """Every report as a table, each read when called; a period ending before it starts
        is refused before any is read."""
        self.admit(actor, query)
        query.period(london_today())
        return export_tables(partial(self.ask, actor), query)

    # The log's integrity and inspection packs

    def integrity(self, actor: Actor, query: IntegrityQuery) -> IntegrityReport:
        self.admit(actor, query)
        return self._sources.integrity.verify(
            start_seq=query.start,
            public_keys=query.public_keys,
            witness=query.witness,
            progress=query.progress,
        )

    def public_key(self, actor: Actor, query: PublicKeyQuery) -> str | None:
        """The checkpoints' public key (PEM), None when none is configured."""
        self.admit(actor, query)
        return self._sources.integrity.public_key_pem()

    def pack(self, actor: Actor, query: PackQuery) -> "Pack":
        """``InvalidFilter`` for a pack that cannot be made, ``LogBroken`` when the log does not
        verify and no checkpoint can be made."""
        self.admit(actor, query)
        return self._sources.packs.make(query)

    # One aggregate

    def state(self, actor: Actor, query: StateQuery) -> AggregateState:
        """Now, or as it stood on a day and/or as known at a time; ``NotFound`` if not (yet)
        there (``NotThen`` saying why, for a record that began or was recorded later)."""
        self.admit(actor, query)
        return self._named(self._shown(actor, self._aggregate(actor, query)))

    def as_at(self, actor: Actor, query: TimelineQuery) -> AsAt:
        """The state as ``state`` answers it, the versions of the events it is made of and,
        for a recommendation and a reader of the reports, its response history: all of one
        aggregate, folded for that point."""
        self.admit(actor, query)
        aggregate = self._aggregate(actor, query)
        responses = None
        if isinstance(aggregate, Recommendation) and may_ask(actor, ResponsesQuery):
            responses = response_history_of(aggregate)
        answer = AsAt(
            state=self._shown(actor, aggregate),
            versions=sorted(p.version for p in aggregate.timeline),
            responses=responses,
        )
        return self._named(answer)

    def _shown(self, actor: Actor, aggregate: TrailAggregate) -> AggregateState:
        """An aggregate's state as this actor reads it, its source labelled."""
        state = _labelled(state_of(aggregate), self._labels())
        return self._as_agency_reads(actor, state)

    def _as_agency_reads(self, actor: Actor, state: AggregateState) -> AggregateState:
        """Agency staff read of a recommendation or meeting their own actions only, and of a
        meeting its summary (``meeting_summary``)."""
        if actor.role is not Role.AGENCY or not isinstance(
            state, MeetingState | RecommendationState
        ):
            return state
        own = [
            i
            for i in state.actions
            if isinstance(a := self.trail.find(i), AgencyAction) and a.agency == actor.agency
        ]
        if isinstance(state, MeetingState):
            return meeting_summary(state, own)
        return state.model_copy(update={"actions": own})

    def admit(self, actor: Actor, query: Query) -> None:
        """Refuse the query if the actor's role may not ask it or a filter could only mislead."""
        authorize_query(actor, type(query))
        query.check(self.trail.reference)

    def _aggregate(self, actor: Actor, query: StateQuery) -> TrailAggregate:
        if query.is_now:
            return self.trail.get(query.aggregate_id, actor, query.kind)
        return self.trail.state_at(
            query.aggregate_id,
            actor,
            query.kind,
            as_of=query.as_of,
            known_at=query.recorded_by,
            version=query.version,
        )

    def history(self, actor: Actor, query: HistoryQuery) -> History:
        self.admit(actor, query)
        recorded = self.trail.history(query.aggregate_id, actor, query.kind)
        entries = entries_of(recorded, self._sources.users.names)
        return History(events=self._aggregate_labels(entries))

    # Users and reference data

    def users(self, actor: Actor, query: UsersQuery) -> list[UserView]:
        self.admit(actor, query)
        return [UserView.of(user) for user in self._sources.users.list()]

    def reference(self, actor: Actor, query: ReferenceQuery) -> Reference:
        self.admit(actor, query)
        return self._reference

    def _labels(self) -> Labels:
        """The labels of the records of one answer, each record loaded once."""
        return Labels(self.trail.find)

    def _source_labels(self, rows: list[R]) -> list[R]:
        """Report rows with the label of each one's source beside its kind and reference."""
        labels = self._labels()
        return [
            row.model_copy(
                update={"source_label": labels.source_of(row.source_kind, row.source_ref)}
            )
            for row in rows
        ]

    def _aggregate_labels(self, entries: list[models.LogEntry]) -> list[models.LogEntry]:
        labels = self._labels()
        return [
            entry.model_copy(update={"aggregate_label": labels.of(entry.aggregate_id)})
            for entry in entries
        ]

    def _named(self, answer: M) -> M:
        """The answer with the users' names beside their ids, as the users store has them now."""
        return with_names(answer, self._sources.users.names)


#: The facade's method answering each kind of query.
ANSWERS: dict[type[Query], Callable[[Queries, Actor, Any], Any]] = {
    OverdueQuery: Queries.overdue_actions,
    CompletedLateQuery: Queries.completed_late,
    AttendanceQuery: Queries.attendance_compliance,
    TimelinessQuery: Queries.meeting_timeliness,
    QualityQuery: Queries.record_quality,
    ResponsesQuery: Queries.response_history,
    QueueQuery: Queries.work_queue,
    LatestPeriodQuery: Queries.latest_period,
    MeetingListQuery: Queries.meetings,
    RecommendationListQuery: Queries.recommendations,
    ActionListQuery: Queries.actions,
    AuditLogQuery: Queries.audit_log,
    FeedQuery: Queries.events,
    StatusQuery: Queries.projections,
    ExportQuery: Queries.export,
    IntegrityQuery: Queries.integrity,
    PublicKeyQuery: Queries.public_key,
    PackQuery: Queries.pack,
    StateQuery: Queries.state,
    TimelineQuery: Queries.as_at,
    HistoryQuery: Queries.history,
    UsersQuery: Queries.users,
    ReferenceQuery: Queries.reference,
}


def _labelled(state: S, labels: Labels) -> S:
    """An action's state with its source's label (other states as they are)."""
    if not isinstance(state, ActionState):
        return state
    label = labels.source_of(state.source.kind, state.source.ref)
    labelled: S = state.model_copy(
        update={"source": state.source.model_copy(update={"label": label})}
    )
    return labelled


def _filter(kind: type[F], query: Query, **given: Any) -> F:
    """The read side's filter of the query's fields of the same names, codes as text; the
    ``given`` values instead of the query's."""
    values = {field.name: getattr(query, field.name) for field in fields(kind)}
    values.update(given)
    return kind(**{name: _plain(value) for name, value in values.items()})


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Code) else value
