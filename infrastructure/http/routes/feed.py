"""The audit log, the event feed for downstream consumers, and the projections' progress."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from application.inputs import Code, PageSize, Position
from application.queries import AuditLogQuery, FeedQuery, StatusQuery
from infrastructure.http.auth import asking
from infrastructure.http.parameters import Timestamp
from infrastructure.presentation.queries import Projections
from infrastructure.storage.users import User
from infrastructure.web.services import ServicesDep
from projections.models import LogPage

router = APIRouter(tags=["audit log and feed"])
Limit = Annotated[PageSize, Query(description="at most this many events")]
After = Annotated[Position, Query(description="events after this position")]
AuditReader = Annotated[User, Depends(asking(AuditLogQuery))]
FeedReader = Annotated[User, Depends(asking(FeedQuery))]
StatusReader = Annotated[User, Depends(asking(StatusQuery))]


@router.get("/audit-log", summary="Every event, filtered; oldest first, paged by position")
def audit_log(
    services: ServicesDep,
    user: AuditReader,
    aggregate_id: UUID | None = None,
    aggregate_type: Annotated[
        Code | None,
        Query(description="StrategyMeeting, Recommendation, AgencyAction or ProjectionSkip"),
    ] = None,
    by_user: Annotated[Code | None, Query(alias="user", description="the actor's user id")] = None,
    agency: Annotated[
        Code | None, Query(description="the actor's agency or the agency an event names")
    ] = None,
    type: Annotated[Code | None, Query(description="e.g. AgencyAction.Completed")] = None,
    recorded_from: Annotated[
        Timestamp | None, Query(alias="from", description="recorded at or after (timestamp)")
    ] = None,
    recorded_to: Annotated[
        Timestamp | None, Query(alias="to", description="recorded at or before (timestamp)")
    ] = None,
    after: After = 0,
    limit: Limit = 100,
) -> LogPage:
    query = AuditLogQuery(
        aggregate_id=aggregate_id,
        aggregate_type=aggregate_type,
        user=by_user,
        agency=agency,
        type=type,
        recorded_from=recorded_from,
        recorded_to=recorded_to,
        after=after,
        limit=limit,
    )
    return services.queries.audit_log(user.actor, query)


@router.get("/events", summary="The global log after a position, for downstream consumers")
def events(
    services: ServicesDep, user: FeedReader, after: After = 0, limit: Limit = 100
) -> LogPage:
    return services.queries.events(user.actor, FeedQuery(after, limit))


@router.get("/projections", summary="Each projection's position, the head and the lag")
def projections(services: ServicesDep, user: StatusReader) -> Projections:
    return services.queries.projections(user.actor, StatusQuery())
