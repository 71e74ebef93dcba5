"""A meeting's, recommendation's or action's page: its state (now, as at a version or as
recorded at a time) and every event it has, oldest first."""

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from application.errors import Forbidden
from application.inputs import Version
from application.queries import HistoryQuery, ResponsesQuery, StateQuery
from domain.action import AgencyAction
from domain.events import TrailAggregate
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from domain.values import Actor
from infrastructure.console.parameters import LocalMoment
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.session import SignedIn
from infrastructure.http.services import ServicesDep
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.states import AggregateState

router = APIRouter(route_class=ConsoleRoute)
Id = Annotated[UUID, Path()]


def _timeline(
    request: Request,
    queries: Queries,
    actor: Actor,
    kind: type[TrailAggregate],
    aggregate_id: UUID,
    version: int | None,
    at: Any,
) -> dict[str, Any]:
    """What every timeline page shows: the state asked for, the actions it links to, the
    current version and every event."""
    state = queries.state(actor, StateQuery(aggregate_id, kind, version, at))
    try:
        events = queries.history(actor, HistoryQuery(aggregate_id, kind)).events
    except Forbidden:  # agency staff read the record their action comes from, not its events
        events = []
    linked = getattr(state, "actions", [])
    return {
        "actions": [queries.state(actor, StateQuery(id, AgencyAction)) for id in linked],
        "state": state,
        "fields": _fields(state),
        "events": events,
        "latest": events[-1].version if events else state.version,
        "asked": {"version": version, "at": request.query_params.get("at")},
    }


def _fields(state: AggregateState) -> dict[str, Any]:
    return state.model_dump(exclude={"id", "responses"})


def _responses(queries: Queries, actor: Actor, aggregate_id: UUID) -> dict[str, Any]:
    """A recommendation's response history: responses, corrections and status changes (none
    for those who read the recommendation but not the reports: agency staff)."""
    try:
        return {"responses": queries.response_history(actor, ResponsesQuery(aggregate_id))}
    except Forbidden:
        return {"responses": None}


def _add(
    name: str,
    kind: type[TrailAggregate],
    title: str,
    more: Callable[[Queries, Actor, UUID], dict[str, Any]] | None = None,
) -> None:
    """``/<name>s/{aggregate_id}``: the timeline page of one kind of aggregate, with what
    ``more`` adds for that kind."""

    def show(
        request: Request,
        services: ServicesDep,
        user: SignedIn,
        aggregate_id: Id,
        version: Version | None = None,
        at: LocalMoment | None = None,
    ) -> HTMLResponse:
        queries = services.queries
        shown = _timeline(request, queries, user.actor, kind, aggregate_id, version, at)
        if more is not None:
            shown.update(more(queries, user.actor, aggregate_id))
        return render(request, "timeline.html", user, kind=title, **shown)

    router.add_api_route(f"/{name}s/{{aggregate_id}}", show, name=name, methods=["GET"])


_add("meeting", StrategyMeeting, "Meeting")
_add("recommendation", Recommendation, "Recommendation", _responses)
_add("action", AgencyAction, "Action")
