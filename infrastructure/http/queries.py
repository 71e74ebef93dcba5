"""Routes that read one aggregate: its state now, at a version or time, and its history."""

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query

from application.inputs import Version
from domain.errors import InvalidInput
from domain.events import TrailAggregate
from infrastructure.http.auth import CurrentUser
from infrastructure.http.parameters import Timestamp
from infrastructure.http.services import ServicesDep
from infrastructure.http.states import History

AGGREGATE_ID = Annotated[UUID, Path(description="The aggregate's id")]


class BadQuery(InvalidInput):
    title = "Invalid query"


def add_state_routes(
    router: APIRouter,
    prefix: str,
    kind: type[TrailAggregate],
    state: Callable[[Any], Any],
    state_model: type[Any],
    label: str,
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
        if version is not None and at is not None:
            raise BadQuery("give either version or at, not both")
        if version is None and at is None:
            return state(services.trail.get(id, user.actor, kind))
        if version is not None:
            return state(services.trail.state_at(id, user.actor, kind, version=version))
        return state(services.trail.state_at(id, user.actor, kind, at=at))

    def get_history(services: ServicesDep, user: CurrentUser, id: AGGREGATE_ID) -> History:
        return History(events=services.trail.history(id, user.actor, kind))

    router.add_api_route(
        f"{prefix}/{{id}}",
        get_state,
        methods=["GET"],
        response_model=state_model,
        summary=f"A {label}: now, at a version, or as recorded at a time",
    )
    router.add_api_route(
        f"{prefix}/{{id}}/history",
        get_history,
        methods=["GET"],
        response_model=History,
        summary=f"Every event of a {label}, oldest first",
    )
