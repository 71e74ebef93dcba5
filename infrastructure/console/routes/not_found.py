"""Any other path under ``/console``: the console's own 404 page (never repeating the path).
Included last, after every page and the static files."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from infrastructure.console.rendering import ConsoleRoute, not_found_page

router = APIRouter(route_class=ConsoleRoute)


@router.api_route("/{anything:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def unknown_page(request: Request, anything: str) -> HTMLResponse:
    return not_found_page(request)
