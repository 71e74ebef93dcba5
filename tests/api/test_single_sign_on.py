"""Single sign-on against a real OpenID Connect provider (``tests/oidc``), on each store: the
authorization code flow with PKCE through to a console session; a wrong audience, an expired
ID token, a replayed state, a callback in another browser, an unverified e-mail and a person
unknown to actiontrail are each refused, recorded and counted towards throttling."""

import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from infrastructure.config import Settings
from infrastructure.console.security import COOKIE, SSO_COOKIE
from infrastructure.signin.settings import OidcProvider
from infrastructure.web.app import create_app
from tests.api.conftest import BASE_URL
from tests.conftest import drop_schema, make_settings
from tests.oidc.provider import CLIENT_ID, Provider, log_in, running_provider

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CALLBACK = f"{BASE_URL}/console/sign-in/oidc/tenant/callback"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with running_provider([CALLBACK], log) as running:
        yield running


@pytest.fixture
def client(store: str, tmp_path: Path, provider: Provider) -> Iterator[TestClient]:
    settings: Settings = make_settings(
        store,
        tmp_path,
        base_url=BASE_URL,
        oidc_providers=[OidcProvider.model_validate(provider.settings())],
    )
    try:
        with TestClient(create_app(settings), base_url=BASE_URL) as test_client:
            users = test_client.app.state.services.users  # type: ignore[attr-defined]
            for name, email in (
                ("Nurse", "nurse@health.example"),
                ("Odd", "wrong-audience@x.example"),
                ("Old", "expired@x.example"),
                ("Pat", "pat@police.example"),
            ):
                users.add(name=name, role="inspector", agency=None, created_by=None, email=email)
            users.add(
                name="Kim",
                role="reporting",
                agency=None,
                created_by=None,
                oidc_issuer=provider.issuer,
                oidc_subject="kim",
            )
            yield test_client
    finally:
        drop_schema(settings)


def start(client: TestClient) -> str:
    """The console's single sign-on link followed: where it sends the browser."""
    started = client.get("/console/sign-in/oidc/tenant", follow_redirects=False)
    assert started.status_code == 303, started.text
    return started.headers["location"]


def callback(client: TestClient, url: str) -> httpx.Response:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(f"{parts.path}?{parts.query}", follow_redirects=False)


def sign_in(client: TestClient, login: str) -> tuple[httpx.Response, str]:
    back = log_in(start(client), login)
    return callback(client, back), back


def records(client: TestClient) -> list[tuple[str, str | None, str]]:
    read = client.app.state.services.signin.records.read()  # type: ignore[attr-defined]
    return [(r.event.value, r.user_id, r.detail or "") for r in read]


def test_the_authorization_request_uses_pkce_state_and_nonce(client: TestClient) -> None:
    asked = parse_qs(urlsplit(start(client)).query)
    assert asked["client_id"] == [CLIENT_ID]
    assert asked["response_type"] == ["code"]
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["redirect_uri"] == [CALLBACK]
    assert len(asked["state"][0]) >= 40
    assert len(asked["nonce"][0]) >= 40
    assert asked["scope"] == ["openid email"]


def test_a_user_signs_in_with_their_verified_e_mail_or_their_subject(client: TestClient) -> None:
    answer, _ = sign_in(client, "nurse@health.example")
    assert answer.status_code == 200, answer.text
    assert '<meta http-equiv="refresh" content="0; url=/console/dashboard">' in answer.text
    assert COOKIE in answer.cookies
    assert client.get("/console/dashboard", follow_redirects=False).status_code == 200
    assert ("signed-in", None, "") not in records(client)
    event, user, _ = records(client)[-1]
    assert event == "signed-in"
    sessions = client.app.state.services.signin.sessions.of_user(user)  # type: ignore[attr-defined]
    assert [s.method for s in sessions] == ["oidc:tenant"]

    client.cookies.clear()
    by_subject, _ = sign_in(client, "kim")
    assert by_subject.status_code == 200, by_subject.text
    assert "url=/console/dashboard" in by_subject.text


@pytest.mark.parametrize(
    ("login", "told", "recorded"),
    [
        ("wrong-audience@x.example", "could not be trusted", "invalid_claim: Invalid claim: 'aud'"),
        ("expired@x.example", "could not be trusted", "expired_token"),
        ("stranger@nowhere.example", "not an actiontrail user", "no user for subject"),
        ("unverified-pat@police.example", "not an actiontrail user", "no verified e-mail"),
    ],
)
def test_what_the_provider_should_not_have_sent_signs_nobody_in(
    client: TestClient, login: str, told: str, recorded: str
) -> None:
    users_before = len(client.app.state.services.users.list())  # type: ignore[attr-defined]
    answer, _ = sign_in(client, login)
    assert answer.status_code == 403
    assert told in answer.text
    assert COOKIE not in answer.cookies
    assert client.get("/console/dashboard", follow_redirects=False).status_code == 303
    event, user, detail = records(client)[-1]
    assert (event, user) == ("sign-in-failed", None)
    assert recorded in detail, detail
    assert len(client.app.state.services.users.list()) == users_before, "nobody added"  # type: ignore[attr-defined]


def test_a_state_is_used_once_and_only_in_the_browser_that_started_it(
    client: TestClient,
) -> None:
    answer, back = sign_in(client, "nurse@health.example")
    assert answer.status_code == 200
    client.cookies.clear()
    replayed = callback(client, back)
    assert replayed.status_code == 403
    assert "already used" in replayed.text
    assert records(client)[-1][2] == "state already used (replayed)"

    elsewhere = log_in(start(client), "nurse@health.example")
    client.cookies.delete(SSO_COOKIE)
    stolen = callback(client, elsewhere)
    assert stolen.status_code == 403
    assert "another browser" in stolen.text


def test_failed_single_sign_ons_are_throttled(client: TestClient) -> None:
    for _ in range(10):
        client.get("/console/sign-in/oidc/tenant/callback?state=forged&code=x")
    throttled = client.get(
        "/console/sign-in/oidc/tenant/callback?state=forged&code=x", follow_redirects=False
    )
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
