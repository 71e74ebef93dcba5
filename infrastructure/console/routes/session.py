"""Signing in with a token (a POSTed form), signing out, and the console's front door."""

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from infrastructure.console.menu import home_for
from infrastructure.console.rendering import ConsoleRoute, error_page, render
from infrastructure.console.security import clear_session, same_origin, set_session
from infrastructure.console.session import SignedIn
from infrastructure.http.services import ServicesDep

router = APIRouter(route_class=ConsoleRoute)
#: A token is far shorter; a longer form is refused unread.
MAX_FORM = 4096


@router.get("")
def front_door(request: Request, user: SignedIn) -> Response:
    return RedirectResponse(request.url_for(home_for(user)), status_code=303)


@router.get("/sign-in")
def sign_in_page(request: Request) -> HTMLResponse:
    return render(request, "sign_in.html", None)


@router.post("/sign-in")
async def sign_in(request: Request, services: ServicesDep) -> Response:
    if not same_origin(request):
        return error_page(request, 403, "Not allowed", "the form was sent from another site")
    body = await request.body()
    token = parse_qs(body[:MAX_FORM].decode(errors="replace")).get("token", [""])[0].strip()
    user = services.users.authenticate(token) if token else None
    if user is None:
        problem = "That token is unknown or has been revoked."
        return render(request, "sign_in.html", None, 401, problem=problem)
    response = RedirectResponse(request.url_for(home_for(user)), status_code=303)
    set_session(response, token)
    return response


@router.post("/sign-out")
def sign_out(request: Request) -> Response:
    if not same_origin(request):
        return error_page(request, 403, "Not allowed", "the form was sent from another site")
    response = RedirectResponse(request.url_for("sign_in_page"), status_code=303)
    clear_session(response)
    return response
