"""Templates, and the route class that turns the facade's refusals into pages.

Every console route is a ``ConsoleRoute``: empty form fields count as not given, a visitor
without a session is sent to sign in, and the errors the error table gives a page
(``presentation.failures``: refusals, unknown records, invalid input, throttling) are answered
by that page instead of the API's problem details.
"""

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from infrastructure.console import formatting
from infrastructure.console.addresses import redirect_to, url_for
from infrastructure.console.csrf import CrossSite
from infrastructure.console.menu import menu_for
from infrastructure.presentation.failures import CHECK_INPUT, NOT_ALLOWED, failure_of, known_kinds
from infrastructure.presentation.names import readable_data
from infrastructure.storage.users import User
from infrastructure.web.ids import is_malformed_id

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters.update(formatting.FILTERS)
templates.env.tests.update(formatting.TESTS)
templates.env.globals.update(
    url_for=url_for,
    query_with=formatting.query_with,
    readable_data=readable_data,
    menu_for=menu_for,
)


class SignInRequired(Exception):
    """No valid session cookie: the visitor is sent to the sign-in page."""


def render(
    request: Request, template: str, user: User | None, status: int = 200, **context: Any
) -> HTMLResponse:
    """The page; every page may offer the configured agencies as a filter's choices."""
    csrf_token = getattr(request.state, "csrf_token", None)
    agencies = request.app.state.services.settings.reference().agencies
    page = {"user": user, "csrf_token": csrf_token, "agencies": agencies, **context}
    return templates.TemplateResponse(request, template, page, status_code=status)


def error_page(
    request: Request,
    status: int,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    page = render(request, "error.html", user, status, title=title, detail=detail)
    page.headers.update(headers or {})
    return page


def not_found_page(request: Request) -> HTMLResponse:
    """The console's 404, which never repeats the path asked for."""
    return error_page(request, 404, "Not found", "There is no such page in the console.")


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
                return redirect_to(request, "sign_in_page")
            except CrossSite as error:
                return error_page(request, 403, NOT_ALLOWED, str(error))
            except RequestValidationError as error:
                if is_malformed_id(error.errors()):
                    return error_page(request, 404, "Not found", "No record has this id.")
                return error_page(request, 422, CHECK_INPUT, _validation_detail(error))
            except known_kinds() as error:
                failure = failure_of(error)
                if failure is None or failure.page is None:
                    raise  # answered as the API answers it
                detail = str(error).strip("'") if failure.status == 404 else str(error)
                return error_page(
                    request, failure.status, failure.page, detail, failure.headers(error)
                )

        return console_handler


def _drop_empty_fields(request: Request) -> None:
    """A form's empty fields (``?as_of=``) are left out, as if not given."""
    pairs = [(k, v) for k, v in parse_qsl(request.scope["query_string"].decode()) if v.strip()]
    request.scope["query_string"] = urlencode(pairs).encode()
