"""``GET /meetings``, ``/recommendations``, ``/actions``: current states, filtered, oldest first.

Each route parses its filters into the application's query (unknown codes are refused with 422
naming the valid values) and asks the presentation facade; ``format=csv`` writes the list's
registry entry. A page without ``next_after`` is the last.
"""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from application.inputs import Code, Day, PageSize, Position
from application.queries import ActionListQuery, MeetingListQuery, RecommendationListQuery
from domain.codes import ActionSourceKind, ActionStatus, MeetingStatus, Rag, RecommendationStatus
from infrastructure.http.auth import asking
from infrastructure.http.routes.reports import CSV_RESPONSE, Format, FormatQuery, csv_download
from infrastructure.http.services import ServicesDep
from infrastructure.presentation.lists import (
    ACTION_LIST,
    MEETING_LIST,
    RECOMMENDATION_LIST,
    Page,
)
from infrastructure.presentation.reports import Report
from infrastructure.users import User

router = APIRouter(tags=["lists"], responses=CSV_RESPONSE)
After = Annotated[
    Position, Query(description="the next_after of the previous page (default: from the first)")
]
Limit = Annotated[PageSize, Query(description="at most this many items")]
MeetingLister = Annotated[User, Depends(asking(MeetingListQuery))]
RecommendationLister = Annotated[User, Depends(asking(RecommendationListQuery))]
ActionLister = Annotated[User, Depends(asking(ActionListQuery))]
F = TypeVar("F", bound=Callable[..., Any])


def _route(listing: Report[Any]) -> Callable[[F], F]:
    return router.get(
        f"/{listing.name}",
        response_model=listing.model,
        summary=listing.summary.capitalize(),
        description="Current states, oldest first; `next_after` (absent on the last page) "
        "is the `after` of the next page.",
    )


def _answer(listing: Report[Any], page: Page[Any], format: Format) -> Response:
    """JSON without ``next_after`` on the last page, or the list's CSV."""
    if format is Format.JSON:
        return JSONResponse(page.public())
    return csv_download(listing, page)


@_route(MEETING_LIST)
def list_meetings(
    services: ServicesDep,
    user: MeetingLister,
    status: MeetingStatus | None = None,
    team: Code | None = None,
    held_from: Annotated[Day | None, Query(description="held on or after")] = None,
    held_to: Annotated[Day | None, Query(description="held on or before")] = None,
    case_ref: Code | None = None,
    limit: Limit = 100,
    after: After = 0,
    format: FormatQuery = Format.JSON,
) -> Response:
    query = MeetingListQuery(
        after=after,
        limit=limit,
        status=status,
        team=team,
        held_from=held_from,
        held_to=held_to,
        case_ref=case_ref,
    )
    return _answer(MEETING_LIST, services.queries.meetings(user.actor, query), format)


@_route(RECOMMENDATION_LIST)
def list_recommendations(
    services: ServicesDep,
    user: RecommendationLister,
    status: RecommendationStatus | None = None,
    rag: Rag | None = None,
    source_ref: Annotated[Code | None, Query(description="the audit, review or inspection")] = None,
    limit: Limit = 100,
    after: After = 0,
    format: FormatQuery = Format.JSON,
) -> Response:
    query = RecommendationListQuery(
        after=after, limit=limit, status=status, rag=rag, source_ref=source_ref
    )
    return _answer(RECOMMENDATION_LIST, services.queries.recommendations(user.actor, query), format)


@_route(ACTION_LIST)
def list_actions(
    services: ServicesDep,
    user: ActionLister,
    agency: Annotated[Code | None, Query(description="agency staff: their own only")] = None,
    status: ActionStatus | None = None,
    due_before: Annotated[Day | None, Query(description="due strictly before")] = None,
    source_kind: ActionSourceKind | None = None,
    source_ref: Code | None = None,
    limit: Limit = 100,
    after: After = 0,
    format: FormatQuery = Format.JSON,
) -> Response:
    query = ActionListQuery(
        after=after,
        limit=limit,
        agency=agency,
        status=status,
        due_before=due_before,
        source_kind=source_kind,
        source_ref=source_ref,
    )
    return _answer(ACTION_LIST, services.queries.actions(user.actor, query), format)
