"""The HTTP API's part of the app: its routes, problem details and body limit."""

from fastapi import FastAPI

from infrastructure.http.limits import BodyLimit
from infrastructure.http.openapi import install_problem_documentation
from infrastructure.http.problems import install_problem_handlers
from infrastructure.http.routes import (
    actions,
    feed,
    integrity,
    lists,
    meetings,
    packs,
    queue,
    recommendations,
    reference,
    reports,
    signin,
    system,
    users,
)

#: The API's routers, in the order of its OpenAPI document.
ROUTERS = tuple(
    module.router
    for module in (
        system,
        lists,
        meetings,
        recommendations,
        actions,
        queue,
        reports,
        feed,
        users,
        signin,
        reference,
        integrity,
        packs,
    )
)

DESCRIPTION = """\
Event-sourced tracking of strategy meetings, audit recommendations and agency actions for a
safeguarding children partnership.

Every request but `/health` carries `Authorization: Bearer <token>`. Commands answer
`{"id", "version", "position"}`; errors are RFC 9457 problem details
(`application/problem+json`). A request body over 1 MiB is refused with 413; text, lists,
numbers and dates have the limits documented in `docs/api.md` (422 beyond them).
"""


def install_api(app: FastAPI) -> None:
    """Mount the API's routes on ``app``, every error answered as a problem."""
    install_problem_handlers(app)
    install_problem_documentation(app)
    app.add_middleware(BodyLimit)
    for router in ROUTERS:
        app.include_router(router)
