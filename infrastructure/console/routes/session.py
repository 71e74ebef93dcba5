"""Signing in (a token in a POSTed form, or single sign-on), signing out, the user's own
sessions, and the console's front door. Every POST passes the CSRF checks (``csrf``)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from infrastructure.console import csrf
from infrastructure.console.addresses import path_for, redirect_to
from infrastructure.console.menu import home_for
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.security import (
    COOKIE,
    SIGN_IN_COOKIE,
    SSO_COOKIE,
    SSO_COOKIE_SECONDS,
    clear_cookie,
    set_cookie,
)
from infrastructure.console.session import SignedIn
from infrastructure.signin.hashing import new_secret
from infrastructure.signin.oidc import SignInFailed
from infrastructure.signin.records import SignInEvent
from infrastructure.signin.service import TokenRefused
from infrastructure.signin.sessions import Started
from infrastructure.web.clients import client_of
from infrastructure.web.services import ServicesDep

router = APIRouter(route_class=ConsoleRoute)
#: The sign-in form's CSRF cookie lasts as long as someone may take to type a token.
SIGN_IN_COOKIE_SECONDS = 3600


@router.get("")
def front_door(request: Request, user: SignedIn) -> Response:
    return redirect_to(request, home_for(user))


@router.get("/sign-in")
def sign_in_page(request: Request, services: ServicesDep) -> HTMLResponse:
    return _sign_in_form(request, services)


def _sign_in_form(
    request: Request, services: ServicesDep, status: int = 200, problem: str | None = None
) -> HTMLResponse:
    """The form, with the CSRF token its cookie holds (a new pair when there is none)."""
    token = request.cookies.get(SIGN_IN_COOKIE) or new_secret()
    providers = list(services.signin.oidc.providers.values())
    page = render(
        request,
        "sign_in.html",
        None,
        status,
        problem=problem,
        csrf_token=token,
        providers=providers,
    )
    set_cookie(page, SIGN_IN_COOKIE, token, SIGN_IN_COOKIE_SECONDS)
    return page


@router.post("/sign-in")
async def sign_in(request: Request, services: ServicesDep) -> Response:
    csrf.check_origin(request, services.settings.base_url)
    form = await csrf.read_form(request)
    csrf.check_token(form, request.cookies.get(SIGN_IN_COOKIE))
    token = form.get("token", "").strip()
    client = client_of(request)
    try:
        if not token:
            raise TokenRefused("give the token you were given")
        user = services.signin.token_user(token, client, SignInEvent.SIGN_IN_FAILED)
    except TokenRefused as refused:
        problem = f"Not signed in: {refused}."
        return _sign_in_form(request, services, 401, problem)
    started = services.signin.start_session(user, "token", client)
    return _signed_in(redirect_to(request, home_for(user)), started, services)


@router.post("/sign-out")
async def sign_out(request: Request, services: ServicesDep) -> Response:
    csrf.check_origin(request, services.settings.base_url)
    form = await csrf.read_form(request)
    secret = request.cookies.get(COOKIE)
    if secret:
        csrf.check_token(form, csrf.token_for(secret))
        services.signin.sign_out(secret, client_of(request))
    response = redirect_to(request, "sign_in_page")
    clear_cookie(response, COOKIE)
    return response


@router.get("/sign-in/oidc/{provider}")
def single_sign_on(request: Request, services: ServicesDep, provider: str) -> Response:
    """Off to the identity provider, with a new attempt (its ``state``) tied to this browser."""
    try:
        started = services.signin.oidc.start(provider)
    except SignInFailed as failed:
        return _sign_in_form(request, services, 503, str(failed))
    response = Response(status_code=303, headers={"Location": started.authorization_url})
    set_cookie(response, SSO_COOKIE, started.browser_secret, SSO_COOKIE_SECONDS, "lax")
    return response


@router.get("/sign-in/oidc/{provider}/callback")
def single_sign_on_callback(request: Request, services: ServicesDep, provider: str) -> Response:
    """Back from the provider: its answer checked, the user matched, a session started.

    Answered with a page that moves on by itself (``meta refresh``) rather than a redirect:
    the browser arrived from another site, and would not send the ``SameSite=Strict`` session
    cookie on a redirect that continues that navigation.
    """
    services.signin.oidc.provider(provider)  # an unknown provider is a 404
    client = client_of(request)
    params = dict(request.query_params)
    response: Response
    try:
        user = services.signin.oidc_user(provider, params, request.cookies.get(SSO_COOKIE), client)
    except SignInFailed as failed:
        response = _sign_in_form(request, services, 403, f"Not signed in: {failed}")
    else:
        started = services.signin.start_session(user, f"oidc:{provider}", client)
        home = path_for(request, home_for(user))
        page = render(request, "signed_in.html", None, home=home)
        response = _signed_in(page, started, services)
    clear_cookie(response, SSO_COOKIE, "lax")
    return response


def _signed_in(response: Response, started: Started, services: ServicesDep) -> Response:
    lifetime = int(services.signin.sessions.lifetime.total_seconds())
    set_cookie(response, COOKIE, started.secret, lifetime)
    clear_cookie(response, SIGN_IN_COOKIE)
    return response


@router.get("/sessions")
def sessions_page(request: Request, services: ServicesDep, user: SignedIn) -> HTMLResponse:
    sessions = services.signin.sessions
    return render(
        request,
        "sessions.html",
        user,
        sessions=[(s, sessions.idle_until(s)) for s in sessions.of_user(user.id)],
        current=request.state.session.id,
    )


@router.post("/sessions/{session_id}/end")
async def end_session(
    request: Request, services: ServicesDep, user: SignedIn, session_id: str
) -> Response:
    csrf.check_origin(request, services.settings.base_url)
    csrf.check_token(await csrf.read_form(request), request.state.csrf_token)
    services.signin.end_session(user.id, session_id, by=user, client=client_of(request))
    if session_id == request.state.session.id:
        response = redirect_to(request, "sign_in_page")
        clear_cookie(response, COOKIE)
        return response
    return redirect_to(request, "sessions_page")
