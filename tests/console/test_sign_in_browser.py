"""Signing in and out in headless Chromium, against ``actiontrail serve`` as a process on each
store: single sign-on at a real OpenID Connect provider (``tests/oidc``), the session cookie
(``__Host-``, ``Secure``: Chromium sends it to 127.0.0.1 as it would over HTTPS) ended on the
server at sign-out, and a sign-in form posted from another site refused (login CSRF)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.webdriver.support.wait import WebDriverWait

from infrastructure.console.security import COOKIE
from tests.conftest import STORES, drop_schema, make_settings, require_postgres
from tests.console.browser import Browser
from tests.console.conftest import Chromium
from tests.e2e.processes import add_user, cli_json, free_port, process_env, serving
from tests.oidc.provider import Provider, running_provider

#: One xdist worker runs this module whole: ``served`` (module scope) is served once a store.
pytestmark = pytest.mark.xdist_group("sign-in")


@dataclass(frozen=True)
class Served:
    store: str
    url: str
    token: str
    provider: str


@pytest.fixture(scope="module", params=STORES)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """A new database whose governance user signs in at the provider as
    ``gill@partnership.example``, served with that provider configured."""
    store: str = request.param
    if store == "postgres":
        require_postgres()
    folder = tmp_path_factory.mktemp(f"sso-{store}")
    settings = make_settings(store, folder)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    try:
        with running_provider(
            [f"{url}/console/sign-in/oidc/tenant/callback"], folder / "oidc.log"
        ) as provider:
            env = process_env(settings) | sign_on_env(url, provider)
            token = add_user(env, "Gill", "governance")
            cli_json(
                env,
                "users",
                "identity",
                user_of(env, token),
                "--email",
                "gill@partnership.example",
                token=token,
            )
            with serving(env, folder / "serve.log", port=port) as server:
                yield Served(store, server.url, token, provider.issuer)
    finally:
        drop_schema(settings)


def sign_on_env(url: str, provider: Provider) -> dict[str, str]:
    return {
        "ACTIONTRAIL_BASE_URL": url,
        "ACTIONTRAIL_OIDC_PROVIDERS": json.dumps([provider.settings()]),
    }


def user_of(env: dict[str, str], token: str) -> str:
    return str(cli_json(env, "users", "list", token=token)[0]["user"])


def session_cookie(browser: Browser) -> str:
    return str(browser.driver.get_cookie(COOKIE)["value"])


def test_single_sign_on_at_the_provider_opens_the_console(
    chromium: Chromium, served: Served, tmp_path: Path
) -> None:
    with chromium(served.url, tmp_path, f"{served.store}-sso") as browser:
        browser.open("/console/sign-in")
        browser.page_is_clean("sign-in-with-sso")
        browser.find("a[href$='/console/sign-in/oidc/tenant']").click()
        assert browser.driver.current_url.startswith(served.provider), "at the provider"
        browser.page_is_clean("provider")
        browser.fill_by_name("login", "gill@partnership.example")
        browser.fill_by_name("password", "anything")
        browser.find("button[type=submit]").click()
        WebDriverWait(browser.driver, 15).until(lambda _: browser.path() == "/console/dashboard")
        assert browser.heading().startswith("Dashboard")
        browser.page_is_clean("dashboard-after-sso")

        browser.find("a[href$='/console/sessions']").click()
        assert "oidc:tenant" in browser.find("table").text
        browser.page_is_clean("sessions")


def test_signing_out_ends_the_session_and_its_cookie_no_longer_works(
    chromium: Chromium, served: Served, tmp_path: Path
) -> None:
    with chromium(served.url, tmp_path, f"{served.store}-sign-out") as browser:
        browser.open("/console/sign-in")
        browser.fill("token", served.token)
        browser.submit("form[action$='/console/sign-in'] button")
        assert browser.path() == "/console/dashboard"
        cookie = browser.driver.get_cookie(COOKIE)
        assert cookie["secure"] is True
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Strict"
        assert cookie["value"] != served.token, "the session is not the API token"
        old = session_cookie(browser)

        browser.submit("form.sign-out button")
        assert browser.path() == "/console/sign-in"
        browser.driver.add_cookie({"name": COOKIE, "value": old, "path": "/", "secure": True})
        browser.open("/console/meetings")
        assert browser.path() == "/console/sign-in", "the old session was ended on the server"
        browser.page_is_clean("replayed-cookie")


def test_a_sign_in_form_on_another_site_is_refused(
    chromium: Chromium, served: Served, tmp_path: Path
) -> None:
    """Login CSRF: a page elsewhere posts the attacker's token to the sign-in form."""
    with chromium(served.url, tmp_path, f"{served.store}-login-csrf") as browser:
        page = (
            f"<form method=post action='{served.url}/console/sign-in'>"
            f"<input name=token value='{served.token}'><button>Win a prize</button></form>"
        )
        browser.driver.get("data:text/html," + page)
        browser.find("button").click()
        WebDriverWait(browser.driver, 15).until(lambda _: browser.path().startswith("/console"))
        assert browser.heading() == "Not allowed"
        assert browser.driver.get_cookie(COOKIE) is None
        browser.screenshot("login-csrf-refused")
