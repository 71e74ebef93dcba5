"""Lists of meetings, recommendations and actions with the API's filters, a page at a time, and
the same list as the API's CSV."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from application.inputs import Code, Day, PageSize, Position
from application.queries import ActionListQuery, MeetingListQuery, RecommendationListQuery
from domain.codes import ActionSourceKind, ActionStatus, MeetingStatus, Rag, RecommendationStatus
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.session import SignedIn
from infrastructure.http.services import ServicesDep
from infrastructure.presentation.lists import ACTION_LIST, MEETING_LIST, RECOMMENDATION_LIST, Page
from infrastructure.presentation.reports import Report
from infrastructure.users import User

router = APIRouter(route_class=ConsoleRoute)
PAGE_SIZE = 25


def _answer(
    request: Request, user: User, listing: Report[Any], page: Page[Any], csv: bool
) -> Response:
    if csv:
        return Response(
            listing.csv(page),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{listing.name}.csv"'},
        )
    params = {k: v for k, v in request.query_params.items() if k not in ("after", "format")}
    return render(
        request,
        f"{listing.name}.html",
        user,
        page=page,
        params=params,
        listing=listing.name,
        after=request.query_params.get("after"),
    )


def meeting_query(
    status: MeetingStatus | None = None,
    team: Code | None = None,
    held_from: Day | None = None,
    held_to: Day | None = None,
    case_ref: Code | None = None,
    limit: PageSize = PAGE_SIZE,
    after: Position = 0,
) -> MeetingListQuery:
    return MeetingListQuery(
        after=after,
        limit=limit,
        status=status,
        team=team,
        held_from=held_from,
        held_to=held_to,
        case_ref=case_ref,
    )


def recommendation_query(
    status: RecommendationStatus | None = None,
    rag: Rag | None = None,
    source_ref: Code | None = None,
    limit: PageSize = PAGE_SIZE,
    after: Position = 0,
) -> RecommendationListQuery:
    return RecommendationListQuery(
        after=after, limit=limit, status=status, rag=rag, source_ref=source_ref
    )


def action_query(
    agency: Code | None = None,
    status: ActionStatus | None = None,
    due_before: Day | None = None,
    source_kind: ActionSourceKind | None = None,
    source_ref: Code | None = None,
    limit: PageSize = PAGE_SIZE,
    after: Position = 0,
) -> ActionListQuery:
    return ActionListQuery(
        after=after,
        limit=limit,
        agency=agency,
        status=status,
        due_before=due_before,
        source_kind=source_kind,
        source_ref=source_ref,
    )


@router.get("/meetings", name="meetings")
@router.get("/meetings.csv", name="meetings_csv")
def meetings(
    request: Request,
    services: ServicesDep,
    user: SignedIn,
    query: Annotated[MeetingListQuery, Depends(meeting_query)],
) -> Response:
    page = services.queries.meetings(user.actor, query)
    return _answer(request, user, MEETING_LIST, page, request.url.path.endswith(".csv"))


@router.get("/recommendations", name="recommendations")
@router.get("/recommendations.csv", name="recommendations_csv")
def recommendations(
    request: Request,
    services: ServicesDep,
    user: SignedIn,
    query: Annotated[RecommendationListQuery, Depends(recommendation_query)],
) -> Response:
    page = services.queries.recommendations(user.actor, query)
    return _answer(request, user, RECOMMENDATION_LIST, page, request.url.path.endswith(".csv"))


@router.get("/actions", name="actions")
@router.get("/actions.csv", name="actions_csv")
def actions(
    request: Request,
    services: ServicesDep,
    user: SignedIn,
    query: Annotated[ActionListQuery, Depends(action_query)],
) -> Response:
    page = services.queries.actions(user.actor, query)
    return _answer(request, user, ACTION_LIST, page, request.url.path.endswith(".csv"))
