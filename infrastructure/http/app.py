"""The FastAPI application: services opened on start, closed on shutdown."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.database import create_read_engine
from infrastructure.http.problems import install_problem_handlers
from infrastructure.http.routes import actions, meetings, recommendations, system, users
from infrastructure.http.services import Services
from infrastructure.users import UserDirectory

DESCRIPTION = """\
Event-sourced tracking of strategy meetings, audit recommendations and agency actions for a
safeguarding children partnership.

Every request but `/health` carries `Authorization: Bearer <token>`. Commands answer
`{"id", "version", "position"}`; errors are RFC 9457 problem details.
"""


def open_services(settings: Settings) -> Services:
    trail = build_application(settings)
    engine = create_read_engine(settings)
    return Services(
        settings=settings, trail=trail, users=UserDirectory(engine, settings.reference())
    )


def close_services(services: Services) -> None:
    services.trail.close()
    services.users.close()


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

    app = FastAPI(
        title="actiontrail",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    for module in (system, meetings, recommendations, actions, users):
        app.include_router(module.router)
    return app
