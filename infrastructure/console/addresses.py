"""The console's links and redirects, never built from the request's ``Host`` header: links
are paths, and a redirect's ``Location`` is the configured base URL and a path (or the path
alone when no base URL is configured)."""

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from jinja2 import pass_context
from starlette.datastructures import URL


def path_for(request: Request, name: str, **params: Any) -> str:
    return str(request.app.url_path_for(name, **params))


def redirect_to(request: Request, name: str, **params: Any) -> RedirectResponse:
    base_url: str | None = request.app.state.services.settings.base_url
    return RedirectResponse((base_url or "") + path_for(request, name, **params), status_code=303)


@pass_context
def url_for(context: dict[str, Any], name: str, /, **params: Any) -> URL:
    """The templates' ``url_for``: a path, not an absolute URL from the ``Host`` header."""
    return URL(path_for(context["request"], name, **params))
