"""The FastAPI application: services opened on start, closed on shutdown."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from infrastructure.config import Settings
from infrastructure.database import create_read_engine
from infrastructure.http.limits import BodyLimit
from infrastructure.http.openapi import install_problem_documentation
from infrastructure.http.problems import install_problem_handlers
from infrastructure.http.routes import (
    actions,
    feed,
    meetings,
    recommendations,
    reports,
    system,
    users,
)
from infrastructure.http.services import Services
from infrastructure.projections_wiring import (
    build_notifying_application,
    start_read_side,
    stop_read_side,
)
from infrastructure.users import UserDirectory
from infrastructure.version import package_version

DESCRIPTION = """\
Event-sourced tracking of strategy meetings, audit recommendations and agency actions for a
safeguarding children partnership.

Every request but `/health` carries `Authorization: Bearer <token>`. Commands answer
`{"id", "version", "position"}`; errors are RFC 9457 problem details
(`application/problem+json`). A request body over 1 MiB is refused with 413; text, lists,
numbers and dates have the limits documented in `docs/api.md` (422 beyond them).
"""


def open_services(settings: Settings) -> Services:
    """The application, the users, and the projections running in a background thread."""
    trail = build_notifying_application(settings)
    users = UserDirectory(create_read_engine(settings), settings.reference())
    return Services(settings, trail, users, start_read_side(settings, trail))


def close_services(services: Services) -> None:
    stop_read_side(services.read)
    services.users.close()
    services.trail.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for these settings (by default, from ``ACTIONTRAIL_*`` variables)."""
    chosen = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = open_services(chosen)
        app.state.services = services
        try:
            yield
        finally:
            close_services(services)

    # /docs and /redoc load Swagger UI and ReDoc from the app itself, never from a CDN
    app = FastAPIOffline(
        title="actiontrail",
        version=package_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None},  # no badge from an online validator
    )
    install_problem_handlers(app)
    install_problem_documentation(app)
    app.add_middleware(BodyLimit)
    for module in (system, meetings, recommendations, actions, reports, feed, users):
        app.include_router(module.router)
    return app
