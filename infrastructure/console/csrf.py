"""Cross-site request forgery: every console POST (signing in and out included) must come
from the console's own origin (``Origin``, or ``Referer`` when a browser sends no ``Origin``)
and carry the CSRF token of the page it was posted from; a request failing either is 403.

A signed-in page's token is derived from the session's secret (so nothing more is stored);
the sign-in page, before any session, pairs its token with a cookie of the same value.
"""

import hashlib
from urllib.parse import parse_qs, urlsplit

from fastapi import Request

from infrastructure.signin.hashing import same

#: Console forms are short (a token, a CSRF token); a longer body is refused unread.
MAX_FORM = 4096
FIELD = "csrf_token"


class CrossSite(Exception):
    """A state-changing request the console did not send itself."""


def token_for(session_secret: str) -> str:
    return hashlib.sha256(f"csrf:{session_secret}".encode()).hexdigest()


def expected_origin(request: Request, base_url: str | None) -> str:
    """The console's origin: the configured base URL, else this request's own (its host was
    checked against the allowed hosts)."""
    return base_url or f"{request.url.scheme}://{request.url.netloc}"


def check_origin(request: Request, base_url: str | None) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        referer = urlsplit(request.headers.get("referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else None
    if origin is None:
        raise CrossSite("the form was sent without an Origin or Referer")
    if origin != expected_origin(request, base_url):
        raise CrossSite("the form was sent from another site")


async def read_form(request: Request) -> dict[str, str]:
    """A URL-encoded form's first values (at most ``MAX_FORM`` bytes read)."""
    body = await request.body()
    fields = parse_qs(body[:MAX_FORM].decode(errors="replace"))
    return {name: values[0] for name, values in fields.items()}


def check_token(form: dict[str, str], expected: str | None) -> None:
    if expected is None or not same(form.get(FIELD), expected):
        raise CrossSite("the form's CSRF token is missing or does not match; reload the page")
