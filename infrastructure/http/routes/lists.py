"""``GET /meetings``, ``/recommendations``, ``/actions``: current states, filtered, oldest first.

Each route parses its filters into the application's query (``list_queries``: unknown codes are
refused with 422 naming the valid values) and asks the presentation facade; ``format=csv``
writes the list's registry entry. A page without ``next_after`` is the last.
"""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from application.queries import ActionListQuery, MeetingListQuery, RecommendationListQuery
from infrastructure.http.auth import asking
from infrastructure.http.list_queries import action_query, meeting_query, recommendation_query
from infrastructure.http.routes.reports import CSV_RESPONSE, Format, FormatQuery
from infrastructure.presentation.lists import (
    ACTION_LIST,
    MEETING_LIST,
    RECOMMENDATION_LIST,
    Page,
)
from infrastructure.presentation.reports import Report
from infrastructure.storage.users import User
from infrastructure.web.downloads import csv_download
from infrastructure.web.services import ServicesDep

router = APIRouter(tags=["lists"], responses=CSV_RESPONSE)
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
    query: Annotated[MeetingListQuery, Depends(meeting_query)],
    format: FormatQuery = Format.JSON,
) -> Response:
    return _answer(MEETING_LIST, services.queries.meetings(user.actor, query), format)


@_route(RECOMMENDATION_LIST)
def list_recommendations(
    services: ServicesDep,
    user: RecommendationLister,
    query: Annotated[RecommendationListQuery, Depends(recommendation_query)],
    format: FormatQuery = Format.JSON,
) -> Response:
    return _answer(RECOMMENDATION_LIST, services.queries.recommendations(user.actor, query), format)


@_route(ACTION_LIST)
def list_actions(
    services: ServicesDep,
    user: ActionLister,
    query: Annotated[ActionListQuery, Depends(action_query)],
    format: FormatQuery = Format.JSON,
) -> Response:
    return _answer(ACTION_LIST, services.queries.actions(user.actor, query), format)
