"""``GET /meetings``, ``/recommendations``, ``/actions``: current states, filtered, oldest first.

One route per list of the registry, its parameters the list's query's declared fields (unknown
codes are refused with 422 naming the valid values); ``format=csv`` writes the list's registry
entry. A page without ``next_after`` is the last.
"""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from infrastructure.http.query_routes import CSV_RESPONSE, Format, add_query_route
from infrastructure.presentation.lists import LISTS, Page
from infrastructure.presentation.reports import Report
from infrastructure.web.downloads import csv_download

router = APIRouter(tags=["lists"], responses=CSV_RESPONSE)


def _answer(listing: Report[Any], page: Page[Any], format: Format) -> Response:
    """JSON without ``next_after`` on the last page, or the list's CSV."""
    if format is Format.JSON:
        return JSONResponse(page.public())
    return csv_download(listing, page)


for listing in LISTS:
    add_query_route(router, listing, name=f"list_{listing.name}", respond=_answer)
