"""The lists of meetings, recommendations and actions: their pages and their registry entries.

A page holds current states exactly as ``GET /meetings/{id}`` (etc.) gives them, oldest first,
and ``next_after``, the cursor of the next page, absent on the last. Each list is a ``Report``
of the registry, so CSV (one row per item, the state's fields as columns, nested values as
JSON) is written as for the reports; its ``command`` is ``actiontrail list <command>``.
"""

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from application.queries import ActionListQuery, MeetingListQuery, Query, RecommendationListQuery
from infrastructure.presentation.reports import Report, columns_of, dump
from infrastructure.presentation.states import ActionState, MeetingState, RecommendationState

S = TypeVar("S", bound=BaseModel)


class Page(BaseModel, Generic[S]):
    items: list[S]
    #: Give it as ``after`` for the next page; absent on the last page.
    next_after: int | None = None

    def public(self) -> dict[str, Any]:
        """As JSON, without ``next_after`` on the last page."""
        last = self.next_after is None
        return self.model_dump(mode="json", exclude={"next_after"} if last else None)


MeetingPage = Page[MeetingState]
RecommendationPage = Page[RecommendationState]
ActionPage = Page[ActionState]


def _listing(
    name: str, summary: str, page: type[Page[S]], state: type[S], query: type[Query]
) -> Report[Page[S]]:
    return Report(
        name,
        name,
        summary,
        page,
        lambda p: dump(p.items),
        columns_of(state),
        query,
        description="Current states, oldest first; `next_after` (absent on the last page) "
        "is the `after` of the next page.",
    )


MEETING_LIST = _listing(
    "meetings", "strategy meetings, oldest first", MeetingPage, MeetingState, MeetingListQuery
)
RECOMMENDATION_LIST = _listing(
    "recommendations",
    "recommendations, oldest first",
    RecommendationPage,
    RecommendationState,
    RecommendationListQuery,
)
ACTION_LIST = _listing(
    "actions",
    "agency actions, oldest first; agency staff see their own",
    ActionPage,
    ActionState,
    ActionListQuery,
)
LISTS: tuple[Report[Any], ...] = (MEETING_LIST, RECOMMENDATION_LIST, ACTION_LIST)
