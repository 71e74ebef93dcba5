"""Signing in to the console as a browser does, through the test client: the sign-in form's
CSRF token and cookie, the ``Origin`` header, and the session cookie that comes back."""

import re

import httpx
from fastapi.testclient import TestClient

from infrastructure.console.security import COOKIE
from tests.api.conftest import BASE_URL, Api

ORIGIN = {"Origin": BASE_URL}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def token_of(api: Api, who: str) -> str:
    return api.headers[who].get("Authorization", "").removeprefix("Bearer ")


def post_sign_in(client: TestClient, token: str, **headers: str) -> httpx.Response:
    """The sign-in form filled with ``token`` and posted (from this origin unless
    ``headers`` say otherwise); the client keeps the cookies it is given."""
    form = client.get("/console/sign-in")
    return client.post(
        "/console/sign-in",
        data={"token": token, "csrf_token": csrf_of(form.text)},
        headers=headers if headers else ORIGIN,
        follow_redirects=False,
    )


def session_of(client: TestClient, token: str) -> str:
    """Sign in; the session cookie's value (the client's jar left empty)."""
    client.cookies.clear()
    signed_in = post_sign_in(client, token)
    assert signed_in.status_code == 303, signed_in.text
    secret = signed_in.cookies[COOKIE]
    client.cookies.clear()
    return secret


class Console:
    """The console as each of the ``api``'s users, each signed in once."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.sessions: dict[str, str] = {}

    def cookie(self, who: str) -> dict[str, str]:
        if who == "nobody":
            return {}
        if who not in self.sessions:
            self.sessions[who] = session_of(self.api.client, token_of(self.api, who))
        return {"Cookie": f"{COOKIE}={self.sessions[who]}"}

    def get(self, who: str, path: str, **params: object) -> httpx.Response:
        return self.api.client.get(
            path, params=params or None, headers=self.cookie(who), follow_redirects=False
        )

    def post(self, who: str, path: str, data: dict[str, str], **headers: str) -> httpx.Response:
        return self.api.client.post(
            path,
            data=data,
            headers={**self.cookie(who), **headers},
            follow_redirects=False,
        )
