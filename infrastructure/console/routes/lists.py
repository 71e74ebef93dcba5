"""Lists of meetings, recommendations and actions with the API's filters (the same
``list_queries`` dependencies), a page at a time, and each page as the API's CSV."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from domain.values import Actor
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.session import SignedIn
from infrastructure.http.list_queries import action_query, meeting_query, recommendation_query
from infrastructure.presentation.lists import ACTION_LIST, MEETING_LIST, RECOMMENDATION_LIST, Page
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.reports import Report
from infrastructure.web.downloads import csv_download
from infrastructure.web.services import ServicesDep

router = APIRouter(route_class=ConsoleRoute)
#: The facade's method answering a list's page.
Asker = Callable[[Queries, Actor, Any], Page[Any]]


def _add(listing: Report[Any], build: Callable[..., Any], ask: Asker) -> None:
    """``/<list>`` (the page) and ``/<list>.csv`` (the same page as the API's CSV)."""

    def show(
        request: Request,
        services: ServicesDep,
        user: SignedIn,
        query: Annotated[Any, Depends(build)],
    ) -> Response:
        page = ask(services.queries, user.actor, query)
        if request.url.path.endswith(".csv"):
            return csv_download(listing, page)
        params = {k: v for k, v in request.query_params.items() if k != "after"}
        return render(
            request,
            f"{listing.name}.html",
            user,
            page=page,
            params=params,
            listing=listing.name,
            after=request.query_params.get("after"),
        )

    router.add_api_route(f"/{listing.name}", show, name=listing.name, methods=["GET"])
    router.add_api_route(f"/{listing.name}.csv", show, name=f"{listing.name}_csv", methods=["GET"])


_add(MEETING_LIST, meeting_query, Queries.meetings)
_add(RECOMMENDATION_LIST, recommendation_query, Queries.recommendations)
_add(ACTION_LIST, action_query, Queries.actions)
