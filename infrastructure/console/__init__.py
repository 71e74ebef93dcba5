"""The web console: a read-only, server-rendered front end under ``/console``.

It parses a browser's input into the application's queries, asks the presentation facade
(``services.queries``) and renders Jinja2 templates; it never imports the CLI.
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from infrastructure.console.routes import dashboard, lists, queue, session, timelines
from infrastructure.console.security import SecurityHeaders

PREFIX = "/console"
STATIC = Path(__file__).parent / "static"


def install_console(app: FastAPI) -> None:
    """Mount the console's pages and stylesheet on ``app``, each answer with its security
    headers (``security.SecurityHeaders``)."""
    for module in (session, dashboard, lists, queue, timelines):
        app.include_router(module.router, prefix=PREFIX, include_in_schema=False)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
    app.add_middleware(SecurityHeaders, prefix=PREFIX)
