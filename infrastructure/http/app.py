"""The FastAPI application: the services (``build_services``) opened on start, following the
log, and closed on shutdown."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.middleware.trustedhost import TrustedHostMiddleware

from infrastructure import console  # a module: the console imports parts of this package
from infrastructure.bootstrap import build_services
from infrastructure.config import Settings
from infrastructure.http.head_probe import HeadProbe
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
from infrastructure.version import package_version

DESCRIPTION = """\
Event-sourced tracking of strategy meetings, audit recommendations and agency actions for a
safeguarding children partnership.

Every request but `/health` carries `Authorization: Bearer <token>`. Commands answer
`{"id", "version", "position"}`; errors are RFC 9457 problem details
(`application/problem+json`). A request body over 1 MiB is refused with 413; text, lists,
numbers and dates have the limits documented in `docs/api.md` (422 beyond them).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for these settings (by default, from ``ACTIONTRAIL_*`` variables)."""
    chosen = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with build_services(chosen, follow=True) as services:
            app.state.services = services
            #: Reads the head for ``/health`` without letting a silent database hold it.
            app.state.head_probe = HeadProbe(services.trail.head)
            services.users.count()  # users reachable (their table made) before the first request
            _ = services.signin  # the sign-in tables made too
            yield

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
    # Outermost: a request naming another host is refused (400) before anything else.
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=chosen.trusted_hosts, www_redirect=False
    )
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
    ):
        app.include_router(module.router)
    console.install_console(app)
    return app
