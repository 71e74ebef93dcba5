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
#: The session cookie: the user's token, sent back only to the console over HTTPS (or to
#: localhost, which browsers treat as secure), never to scripts or other sites.
COOKIE = "actiontrail_session"
COOKIE_PATH = "/console"


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


def same_origin(request: Request) -> bool:
    """A form posted from the console itself: no ``Origin`` (older browsers) or this host's."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return origin == f"{request.url.scheme}://{request.url.netloc}"


def set_session(response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE, token, path=COOKIE_PATH, secure=True, httponly=True, samesite="strict"
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, secure=True, httponly=True, samesite="strict")
