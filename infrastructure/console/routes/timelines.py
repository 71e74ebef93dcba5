"""A meeting's, recommendation's or action's page: its state (now; as it stood on a day; as known
at a time or version), every section of the page at that same point, and its events.

A page "as at" shows nothing the state leaves out: the response history and the changes of
status are those of the aggregate folded for that point, the actions are those it links to then,
each as it stood at the same point, and the events are the ones it is made of. Agency staff
reading the record their action comes from see its state only (no events, no response history).
"""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from application.errors import Forbidden, NotFound
from application.queries import HistoryQuery, StateQuery, TimelineQuery
from domain.action import AgencyAction
from domain.effective import human_date
from domain.events import TrailAggregate
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from domain.values import Actor
from infrastructure.console.forms import form_fields
from infrastructure.console.parameters import LocalMoment
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.session import SignedIn
from infrastructure.presentation.as_at import AsAt
from infrastructure.presentation.moments import moment_text
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.states import AggregateState, History
from infrastructure.web.query_parameters import parameters_of
from infrastructure.web.services import ServicesDep
from projections.models import LogEntry

router = APIRouter(route_class=ConsoleRoute)
FORM = form_fields(TimelineQuery)


def _timeline(
    request: Request, queries: Queries, actor: Actor, asked: TimelineQuery
) -> dict[str, Any]:
    """What every timeline page shows, all at the point ``asked``: the state, the actions it
    links to, its response history (a recommendation's), the latest version and the events."""
    shown: AsAt = queries.ask(actor, asked)
    every = _events(queries, actor, asked)
    moment = asked.recorded_by
    if asked.version is not None and every:
        moment = next(e.recorded_at for e in every if e.version == asked.version)
    events = every if asked.is_now else [e for e in every if e.version in shown.versions]
    return {
        "actions": _linked_actions(queries, actor, shown.state, asked.as_of, moment),
        "state": shown.state,
        "fields": _fields(shown.state),
        "responses": shown.responses,
        "events": events,
        "later": len(every) - len(events),
        "latest": every[-1].version if every else shown.state.version,
        "asked": {
            "version": asked.version,
            "as_of": asked.as_of.isoformat() if asked.as_of else None,
            "known_at": request.query_params.get("known_at") or request.query_params.get("at"),
        },
        "point": None if asked.is_now else _point(asked, moment),
    }


def _events(queries: Queries, actor: Actor, asked: StateQuery) -> list[LogEntry]:
    """Every event of the record, oldest first; none for agency staff, who read the record
    their action comes from but not its events."""
    try:
        history: History = queries.ask(actor, HistoryQuery(asked.aggregate_id, asked.kind))
        return history.events
    except Forbidden:
        return []


def _linked_actions(
    queries: Queries,
    actor: Actor,
    state: AggregateState,
    as_of: date | None,
    moment: datetime | None,
) -> list[AggregateState]:
    """The actions ``state`` links to, each as it stood on ``as_of`` as known at ``moment``."""
    found = []
    for action_id in getattr(state, "actions", []):
        try:
            query = StateQuery(action_id, as_of=as_of, known_at=moment, kind=AgencyAction)
            found.append(queries.ask(actor, query))
        except NotFound:
            continue  # not yet agreed then (an action linked by an event of the first versions)
    return found


def _point(asked: StateQuery, moment: datetime | None) -> str:
    """The point a page is at, in words: "as it stood on 15 December 2023, as known at ..."."""
    parts = []
    if asked.as_of is not None:
        parts.append(f"as it stood on {human_date(asked.as_of)}")
    if asked.version is not None:
        parts.append(f"as known at version {asked.version}")
    elif moment is not None:
        parts.append(f"as known at {moment_text(moment)} (London)")
    return ", ".join(parts)


def _fields(state: AggregateState) -> dict[str, Any]:
    return state.model_dump(exclude={"id", "responses"})


def _add(name: str, kind: type[TrailAggregate], title: str) -> None:
    """``/<name>s/{id}``: the timeline page of one kind of aggregate, its parameters the state
    query's declared fields."""
    asked_of = parameters_of(TimelineQuery, LocalMoment, kind=kind)

    def show(
        request: Request,
        services: ServicesDep,
        user: SignedIn,
        asked: Annotated[TimelineQuery, Depends(asked_of)],
    ) -> HTMLResponse:
        shown = _timeline(request, services.queries, user.actor, asked)
        return render(request, "timeline.html", user, kind=title, form=FORM, **shown)

    router.add_api_route(f"/{name}s/{{id}}", show, name=name, methods=["GET"])


_add("meeting", StrategyMeeting, "Meeting")
_add("recommendation", Recommendation, "Recommendation")
_add("action", AgencyAction, "Action")
