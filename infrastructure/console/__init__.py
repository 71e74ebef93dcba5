"""The web console: a read-only, server-rendered front end under ``/console``.

It parses a browser's input into the application's queries, asks the presentation facade
(``services.queries``) and renders Jinja2 templates; it never imports the CLI.
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from infrastructure.console.rendering import not_found_page
from infrastructure.console.routes import (
    dashboard,
    lists,
    not_found,
    packs,
    queue,
    session,
    timelines,
)
from infrastructure.console.security import SecurityHeaders

#: The console's pages (but its 404, mounted last).
ROUTERS = tuple(module.router for module in (session, dashboard, lists, queue, timelines, packs))
PREFIX = "/console"
STATIC = Path(__file__).parent / "static"


def install_console(app: FastAPI) -> None:
    """Mount the console's pages and stylesheet on ``app``, each answer with its security
    headers (``security.SecurityHeaders``)."""
    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX, include_in_schema=False)
    app.mount(f"{PREFIX}/static", ConsoleFiles(directory=STATIC), name="console-static")
    app.include_router(not_found.router, prefix=PREFIX, include_in_schema=False)
    app.add_middleware(SecurityHeaders, prefix=PREFIX)


class ConsoleFiles(StaticFiles):
    """The stylesheet; a file that is not there is the console's 404 page."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404:
                raise
            return not_found_page(Request(scope))
