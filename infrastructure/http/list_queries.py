"""The lists' filters as query parameters, parsed into the application's list queries: one
FastAPI dependency per list, shared by the API's routes and the web console's pages."""

from typing import Annotated

from fastapi import Query

from application.inputs import DEFAULT_PAGE, Code, Day, PageSize, Position
from application.queries import ActionListQuery, MeetingListQuery, RecommendationListQuery
from domain.codes import ActionSourceKind, ActionStatus, MeetingStatus, Rag, RecommendationStatus

After = Annotated[
    Position, Query(description="the next_after of the previous page (default: from the first)")
]
Limit = Annotated[PageSize, Query(description="at most this many items")]


def meeting_query(
    status: MeetingStatus | None = None,
    team: Code | None = None,
    held_from: Annotated[Day | None, Query(description="held on or after")] = None,
    held_to: Annotated[Day | None, Query(description="held on or before")] = None,
    case_ref: Code | None = None,
    limit: Limit = DEFAULT_PAGE,
    after: After = 0,
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
    source_ref: Annotated[Code | None, Query(description="the audit, review or inspection")] = None,
    limit: Limit = DEFAULT_PAGE,
    after: After = 0,
) -> RecommendationListQuery:
    return RecommendationListQuery(
        after=after, limit=limit, status=status, rag=rag, source_ref=source_ref
    )


def action_query(
    agency: Annotated[Code | None, Query(description="agency staff: their own only")] = None,
    status: ActionStatus | None = None,
    due_before: Annotated[Day | None, Query(description="due strictly before")] = None,
    source_kind: ActionSourceKind | None = None,
    source_ref: Code | None = None,
    limit: Limit = DEFAULT_PAGE,
    after: After = 0,
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
