"""Lists of meetings, recommendations and actions with the API's filters (each list's query's
declared fields, ``web.query_parameters``), a page at a time, and each page as the API's CSV."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from infrastructure.console.forms import form_fields
from infrastructure.console.parameters import LocalMoment
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.session import SignedIn
from infrastructure.presentation.lists import LISTS
from infrastructure.presentation.reports import Report
from infrastructure.web.downloads import csv_download
from infrastructure.web.query_parameters import parameters_of
from infrastructure.web.services import ServicesDep

router = APIRouter(route_class=ConsoleRoute)


def _add(listing: Report[Any]) -> None:
    """``/<list>`` (the page) and ``/<list>.csv`` (the same page as the API's CSV)."""
    form = form_fields(listing.query)

    def show(
        request: Request,
        services: ServicesDep,
        user: SignedIn,
        query: Annotated[Any, Depends(parameters_of(listing.query, LocalMoment))],
    ) -> Response:
        page = services.queries.ask(user.actor, query)
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
            form=form,
            after=request.query_params.get("after"),
        )

    router.add_api_route(f"/{listing.name}", show, name=listing.name, methods=["GET"])
    router.add_api_route(f"/{listing.name}.csv", show, name=f"{listing.name}_csv", methods=["GET"])


for listing in LISTS:
    _add(listing)
