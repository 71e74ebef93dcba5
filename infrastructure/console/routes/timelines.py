"""A meeting's, recommendation's or action's page: its state (now, as at a version or as
recorded at a time) and every event it has, oldest first."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

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
    """What every timeline page shows: the state asked for, the current version, the events."""
    state = queries.state(actor, StateQuery(aggregate_id, kind, version, at))
    history = queries.history(actor, HistoryQuery(aggregate_id, kind))
    return {
        "state": state,
        "fields": _fields(state),
        "events": history.events,
        "latest": history.events[-1].version if history.events else None,
        "asked": {"version": version, "at": request.query_params.get("at")},
    }


def _fields(state: AggregateState) -> dict[str, Any]:
    return state.model_dump(mode="json", exclude={"id", "responses"})


@router.get("/meetings/{meeting_id}", name="meeting")
def meeting(
    request: Request,
    services: ServicesDep,
    user: SignedIn,
    meeting_id: Id,
    version: Version | None = None,
    at: LocalMoment | None = None,
) -> HTMLResponse:
    shown = _timeline(
        request, services.queries, user.actor, StrategyMeeting, meeting_id, version, at
    )
    return render(request, "timeline.html", user, kind="Meeting", **shown)


@router.get("/recommendations/{recommendation_id}", name="recommendation")
def recommendation(
    request: Request,
    services: ServicesDep,
    user: SignedIn,
    recommendation_id: Id,
    version: Version | None = None,
    at: LocalMoment | None = None,
) -> HTMLResponse:
    queries = services.queries
    shown = _timeline(request, queries, user.actor, Recommendation, recommendation_id, version, at)
    responses = queries.response_history(user.actor, ResponsesQuery(recommendation_id))
    actions = [
        queries.state(user.actor, StateQuery(action_id, AgencyAction))
        for action_id in shown["state"].actions
    ]
    return render(
        request,
        "timeline.html",
        user,
        kind="Recommendation",
        responses=responses,
        actions=actions,
        **shown,
    )


@router.get("/actions/{action_id}", name="action")
def action(
    request: Request,
    services: ServicesDep,
    user: SignedIn,
    action_id: Id,
    version: Version | None = None,
    at: LocalMoment | None = None,
) -> HTMLResponse:
    shown = _timeline(request, services.queries, user.actor, AgencyAction, action_id, version, at)
    return render(request, "timeline.html", user, kind="Action", **shown)
