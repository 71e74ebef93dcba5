"""Routes that read one aggregate: its state now, as it stood on a day, as known at a time or
version, and its history; their parameters the state's and history's declared fields."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from application.queries import HistoryQuery, Query, StateQuery
from domain.events import TrailAggregate
from infrastructure.http.auth import CurrentUser
from infrastructure.http.parameters import Timestamp
from infrastructure.presentation.states import History
from infrastructure.presentation.wording import a
from infrastructure.web.query_parameters import parameters_of
from infrastructure.web.services import ServicesDep


def add_state_routes(
    router: APIRouter, kind: type[TrailAggregate], state_model: type[Any], label: str
) -> None:
    router.add_api_route(
        "/{id}",
        _answering(StateQuery, kind),
        methods=["GET"],
        response_model=state_model,
        summary=f"{a(label).capitalize()}: now, as it stood on a day, as known at a time",
        description=f"The {label}'s current state: its facts applied in the order they took "
        "effect. With as_of, as it stood on that day; with known_at (or at, or version), as "
        "the records stood then; a 404 for a day before it began, or a time before it was "
        "first recorded, says so.",
    )
    router.add_api_route(
        "/{id}/history",
        _answering(HistoryQuery, kind),
        methods=["GET"],
        response_model=History,
        summary=f"Every event of {a(label)}, oldest first",
    )


def _answering(query: type[Query], kind: type[TrailAggregate]) -> Callable[..., Any]:
    """A route answering ``query`` about an aggregate of ``kind``."""
    asked = parameters_of(query, Timestamp, kind=kind)

    def answer(
        services: ServicesDep, user: CurrentUser, query: Annotated[Any, Depends(asked)]
    ) -> Any:
        return services.queries.ask(user.actor, query)

    return answer
