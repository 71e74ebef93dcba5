"""Routes that read one aggregate: its state now, at a version or time, and its history."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query

from application.inputs import Version
from application.queries import HistoryQuery, StateQuery
from domain.events import TrailAggregate
from infrastructure.http.auth import CurrentUser
from infrastructure.http.parameters import Timestamp
from infrastructure.http.services import ServicesDep
from infrastructure.presentation.states import History

AGGREGATE_ID = Annotated[UUID, Path(description="The aggregate's id")]


def add_state_routes(
    router: APIRouter, kind: type[TrailAggregate], state_model: type[Any], label: str
) -> None:
    def get_state(
        services: ServicesDep,
        user: CurrentUser,
        id: AGGREGATE_ID,
        version: Annotated[
            Version | None, Query(description="the state as at this version")
        ] = None,
        at: Annotated[
            Timestamp | None,
            Query(description="the state as recorded at this timestamp (ISO 8601, with offset)"),
        ] = None,
    ) -> Any:
        return services.queries.state(user.actor, StateQuery(id, kind, version, at))

    def get_history(services: ServicesDep, user: CurrentUser, id: AGGREGATE_ID) -> History:
        return services.queries.history(user.actor, HistoryQuery(id, kind))

    router.add_api_route(
        "/{id}",
        get_state,
        methods=["GET"],
        response_model=state_model,
        summary=f"A {label}: now, at a version, or as recorded at a time",
    )
    router.add_api_route(
        "/{id}/history",
        get_history,
        methods=["GET"],
        response_model=History,
        summary=f"Every event of a {label}, oldest first",
    )
