"""The audit log, the event feed for downstream consumers, and the projections' progress."""

from typing import Annotated

from fastapi import APIRouter, Depends

from application.queries import FeedQuery, StatusQuery
from infrastructure.http.auth import asking
from infrastructure.http.query_routes import add_query_route
from infrastructure.presentation.queries import Projections
from infrastructure.presentation.reports import AUDIT_LOG
from infrastructure.storage.users import User
from infrastructure.web.query_parameters import parameters_of
from infrastructure.web.services import ServicesDep
from projections.models import LogPage

router = APIRouter(tags=["audit log and feed"])
FeedReader = Annotated[User, Depends(asking(FeedQuery))]
StatusReader = Annotated[User, Depends(asking(StatusQuery))]

add_query_route(
    router,
    AUDIT_LOG,
    name="audit_log",
    summary="Every event, filtered; oldest first, paged by position",
    respond=None,
)


@router.get("/events", summary="The global log after a position, for downstream consumers")
def events(
    services: ServicesDep,
    user: FeedReader,
    query: Annotated[FeedQuery, Depends(parameters_of(FeedQuery))],
) -> LogPage:
    page: LogPage = services.queries.ask(user.actor, query)
    return page


@router.get("/projections", summary="Each projection's position, the head and the lag")
def projections(services: ServicesDep, user: StatusReader) -> Projections:
    status: Projections = services.queries.ask(user.actor, StatusQuery())
    return status
