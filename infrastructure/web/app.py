"""The FastAPI application: the API and the console mounted side by side, the services
(``build_services``) opened on start, following the log, and closed on shutdown."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.middleware.trustedhost import TrustedHostMiddleware

from infrastructure.bootstrap import build_services
from infrastructure.config import Settings
from infrastructure.console import install_console
from infrastructure.http.api import DESCRIPTION, install_api
from infrastructure.http.head_probe import HeadProbe
from infrastructure.version import package_version


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API and the console for these settings (by default, from ``ACTIONTRAIL_*``
    variables)."""
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
    install_api(app)
    # Outside the API's body limit: a request naming another host is refused (400) first.
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=chosen.trusted_hosts, www_redirect=False
    )
    install_console(app)  # its security headers outermost
    return app
