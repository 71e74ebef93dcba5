"""Routes that read one aggregate: its state now, at a version or time, and its history."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime, TypeAdapter, ValidationError

from domain.errors import InvalidInput
from domain.events import TrailAggregate
from infrastructure.http.auth import CurrentUser
from infrastructure.http.commands import ERRORS
from infrastructure.http.services import ServicesDep
from infrastructure.http.states import History

AGGREGATE_ID = Annotated[UUID, Path(description="The aggregate's id")]
_AWARE = TypeAdapter(AwareDatetime)


class BadQuery(InvalidInput):
    title = "Invalid query"


def parse_timestamp(value: str, name: str) -> datetime:
    """An ISO 8601 timestamp with offset (a "+" that URL decoding made a space is restored)."""
    try:
        return _AWARE.validate_python(value.strip().replace(" ", "+"))
    except ValidationError:
        raise BadQuery(
            f"{name}={value!r} is not a timestamp with an offset, e.g. 2023-12-04T10:30:00+00:00"
        ) from None


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
            int | None, Query(ge=1, description="the state as at this version")
        ] = None,
        at: Annotated[
            str | None,
            Query(description="the state as recorded at this timestamp (ISO 8601, with offset)"),
        ] = None,
    ) -> Any:
        if version is not None and at is not None:
            raise BadQuery("give either version or at, not both")
        if version is None and at is None:
            return state(services.trail.get(id, user.actor, kind))
        if version is not None:
            return state(services.trail.state_at(id, user.actor, kind, version=version))
        assert at is not None
        return state(services.trail.state_at(id, user.actor, kind, at=parse_timestamp(at, "at")))

    def get_history(services: ServicesDep, user: CurrentUser, id: AGGREGATE_ID) -> History:
        return History(events=services.trail.history(id, user.actor, kind))

    router.add_api_route(
        f"{prefix}/{{id}}",
        get_state,
        methods=["GET"],
        response_model=state_model,
        summary=f"A {label}: now, at a version, or as recorded at a time",
        responses=ERRORS,
    )
    router.add_api_route(
        f"{prefix}/{{id}}/history",
        get_history,
        methods=["GET"],
        response_model=History,
        summary=f"Every event of a {label}, oldest first",
        responses=ERRORS,
    )
