"""Routes that read one aggregate: its state now, as it stood on a day, as known at a time or
version, and its history."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query

from application.inputs import Day, Version
from application.queries import HistoryQuery, StateQuery
from domain.events import TrailAggregate
from infrastructure.http.auth import CurrentUser
from infrastructure.http.parameters import Timestamp
from infrastructure.presentation.states import History
from infrastructure.presentation.wording import a
from infrastructure.web.services import ServicesDep

AGGREGATE_ID = Annotated[UUID, Path(description="The aggregate's id")]


def add_state_routes(
    router: APIRouter, kind: type[TrailAggregate], state_model: type[Any], label: str
) -> None:
    def get_state(  # noqa: PLR0913 - FastAPI takes each input as a parameter
        services: ServicesDep,
        user: CurrentUser,
        id: AGGREGATE_ID,
        as_of: Annotated[
            Day | None,
            Query(
                description="the state as it stood on this day: the facts effective on or "
                "before it, applied in the order they took effect"
            ),
        ] = None,
        known_at: Annotated[
            Timestamp | None,
            Query(
                description="only what had been recorded by this time (ISO 8601, with "
                "offset); with as_of, the day as the records stood then"
            ),
        ] = None,
        version: Annotated[
            Version | None,
            Query(description="only the events up to this version (not with known_at or at)"),
        ] = None,
        at: Annotated[
            Timestamp | None,
            Query(description="the same as known_at (its older name)"),
        ] = None,
    ) -> Any:
        query = StateQuery(id, kind, version, at, as_of=as_of, known_at=known_at)
        return services.queries.state(user.actor, query)

    def get_history(services: ServicesDep, user: CurrentUser, id: AGGREGATE_ID) -> History:
        return services.queries.history(user.actor, HistoryQuery(id, kind))

    router.add_api_route(
        "/{id}",
        get_state,
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
        get_history,
        methods=["GET"],
        response_model=History,
        summary=f"Every event of {a(label)}, oldest first",
    )
