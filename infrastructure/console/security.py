"""What keeps the console's pages safe in a browser: a strict Content-Security-Policy and the
session cookie's attributes.

The policy lets a page load only the console's own stylesheet and images (charts are SVG images
in ``data:`` URLs, whose own styles stay inside the image); no script runs at all.
"""

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
#: The session cookie: a random session id (never the API token), sent back only to this host
#: (``__Host-``: ``Secure``, ``Path=/``, no ``Domain``), over HTTPS or to localhost, never to
#: scripts or other sites.
COOKIE = "__Host-actiontrail_session"
#: Before a session exists, the sign-in form's CSRF token is paired with this cookie.
SIGN_IN_COOKIE = "__Host-actiontrail_sign_in"
#: Ties a single sign-on callback to the browser that started it; ``Lax``, as the provider
#: sends the browser back from another site.
SSO_COOKIE = "__Host-actiontrail_sso"
SSO_COOKIE_SECONDS = 600


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds ``HEADERS`` to every answer under ``prefix``."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        super().__init__(app)
        self.prefix = prefix

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if request.url.path.startswith(self.prefix):
            response.headers.update(HEADERS)
        return response


def set_cookie(
    response: Response, name: str, value: str, max_age: int, samesite: str = "strict"
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=True,
        httponly=True,
        samesite=samesite,  # type: ignore[arg-type]
    )


def clear_cookie(response: Response, name: str, samesite: str = "strict") -> None:
    response.delete_cookie(name, path="/", secure=True, httponly=True, samesite=samesite)  # type: ignore[arg-type]
