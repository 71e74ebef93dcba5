"""Templates, and the route class that turns the facade's refusals into pages.

Every console route is a ``ConsoleRoute``: empty form fields count as not given, a visitor
without a session is sent to sign in, and ``Forbidden``, ``NotFound`` and invalid input are
answered by an error page (403, 404, 422) instead of the API's problem details.
"""

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from application.errors import Forbidden, NotFound
from domain import codes
from domain.errors import InvalidInput
from infrastructure.console import formatting
from infrastructure.console.menu import menu_for
from infrastructure.presentation.names import readable_data
from infrastructure.users import User
from projections import errors as read_errors

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters.update(formatting.FILTERS)
templates.env.tests.update(formatting.TESTS)
templates.env.globals.update(
    query_with=formatting.query_with,
    readable_data=readable_data,
    menu_for=menu_for,
    codes={
        kind.__name__: [member.value for member in kind]
        for kind in (
            codes.MeetingStatus,
            codes.RecommendationStatus,
            codes.Rag,
            codes.ActionStatus,
            codes.ActionSourceKind,
        )
    },
)


class SignInRequired(Exception):
    """No valid session cookie: the visitor is sent to the sign-in page."""


def render(
    request: Request, template: str, user: User | None, status: int = 200, **context: Any
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, template, {"user": user, **context}, status_code=status
    )


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    return render(request, "error.html", user, status, title=title, detail=detail)


def _validation_detail(error: RequestValidationError) -> str:
    return "; ".join(
        f"{item['loc'][-1]}: {item['msg']}" for item in error.errors() if item.get("loc")
    )


class ConsoleRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def console_handler(request: Request) -> Response:
            _drop_empty_fields(request)
            try:
                return await handle(request)
            except SignInRequired:
                return RedirectResponse(request.url_for("sign_in_page"), status_code=303)
            except Forbidden as error:
                return error_page(request, 403, "Not allowed", str(error))
            except (NotFound, read_errors.NotFound) as error:
                return error_page(request, 404, "Not found", str(error).strip("'"))
            except InvalidInput as error:
                return error_page(request, 422, "Check what you asked", str(error))
            except RequestValidationError as error:
                return error_page(request, 422, "Check what you asked", _validation_detail(error))

        return console_handler


def _drop_empty_fields(request: Request) -> None:
    """A form's empty fields (``?as_of=``) are left out, as if not given."""
    pairs = [(k, v) for k, v in parse_qsl(request.scope["query_string"].decode()) if v.strip()]
    request.scope["query_string"] = urlencode(pairs).encode()
