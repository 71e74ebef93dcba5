"""Console sessions (findings 1, 2, 3, 5 and 8 of issue 22), on each store, through the test
client over HTTPS: a session of its own in a ``__Host-`` cookie, ended on the server at
sign-out, after idling and after its lifetime; CSRF on every form; redirects that never trust
the ``Host`` header; the console's own 404 page. The browser tests walk the same in Chromium.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from infrastructure.console.security import COOKIE, SIGN_IN_COOKIE
from infrastructure.signin.tables import sessions_table
from infrastructure.storage.users import aware
from tests.api.conftest import Api
from tests.api.console import ORIGIN, Console, csrf_of, post_sign_in, session_of, token_of


@pytest.fixture
def console(api: Api) -> Console:
    return Console(api)


def test_the_session_cookie_is_a_session_of_its_own_never_the_token(api: Api) -> None:
    token = token_of(api, "inspector")
    signed_in = post_sign_in(api.client, token)

    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/console/dashboard", "a path, not from Host"
    cookie = next(c for c in signed_in.headers.get_list("set-cookie") if c.startswith(COOKIE))
    for attribute in ("HttpOnly", "Secure", "SameSite=strict", "Path=/;", "Max-Age=36000"):
        assert attribute in cookie, attribute
    assert "Domain" not in cookie
    secret = signed_in.cookies[COOKIE]
    assert secret != token
    assert token not in cookie
    api.client.cookies.clear()

    as_token = {"Cookie": f"{COOKIE}={token}"}
    refused = api.client.get("/console/dashboard", headers=as_token, follow_redirects=False)
    assert refused.status_code == 303, "the API token is not a session"


def test_signing_out_ends_the_session_on_the_server(api: Api, console: Console) -> None:
    cookie = console.cookie("governance")
    assert console.get("governance", "/console/meetings").status_code == 200
    form = console.get("governance", "/console/meetings").text

    signed_out = console.post(
        "governance", "/console/sign-out", {"csrf_token": csrf_of(form)}, **ORIGIN
    )
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == "/console/sign-in"
    assert f'{COOKIE}=""' in signed_out.headers["set-cookie"]

    for path in ("/console/dashboard", "/console/meetings"):
        replayed = api.client.get(path, headers=cookie, follow_redirects=False)
        assert replayed.status_code == 303, f"the old cookie replayed on {path}"
        assert replayed.headers["location"] == "/console/sign-in"


def age_sessions(api: Api, **ago: timedelta) -> None:
    """Move the sessions' stored times back, as if that much time had passed on the server
    (its clock runs in the test client's threads, out of freezegun's reach; the store's own
    clock is frozen in ``test_signin_store.py``)."""
    engine = api.client.app.state.services.signin.users.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        for row in connection.execute(select(sessions_table)).mappings().all():
            moved = {name: aware(row[name]) - by for name, by in ago.items()}
            connection.execute(
                update(sessions_table).where(sessions_table.c.id == row["id"]).values(moved)
            )


def test_an_idle_session_ends_and_so_does_a_long_one(api: Api, console: Console) -> None:
    cookie = console.cookie("inspector")
    age_sessions(api, last_seen_at=timedelta(minutes=29))
    assert console.get("inspector", "/console/sessions").status_code == 200
    age_sessions(api, last_seen_at=timedelta(minutes=29))
    assert console.get("inspector", "/console/sessions").status_code == 200, "kept alive"
    age_sessions(api, last_seen_at=timedelta(minutes=31))
    idle = api.client.get("/console/sessions", headers=cookie, follow_redirects=False)
    assert idle.status_code == 303, "idle for more than 30 minutes"

    console.sessions.clear()
    console.cookie("inspector")
    age_sessions(api, started_at=timedelta(hours=9), expires_at=timedelta(hours=9))
    assert console.get("inspector", "/console/sessions").status_code == 200
    age_sessions(api, started_at=timedelta(hours=1), expires_at=timedelta(hours=1))
    assert console.get("inspector", "/console/sessions").status_code == 303, "ten hours at most"


def test_sign_in_and_sign_out_need_this_origin_and_a_csrf_token(api: Api, console: Console) -> None:
    token = token_of(api, "governance")
    for headers in ({"Referer": "https://evil.example/login"}, {}, {"Origin": "null"}):
        forged = post_sign_in(api.client, token, **headers) if headers else None
        if forged is None:  # neither Origin nor Referer
            form = api.client.get("/console/sign-in")
            forged = api.client.post(
                "/console/sign-in",
                data={"token": token, "csrf_token": csrf_of(form.text)},
                follow_redirects=False,
            )
        assert forged.status_code == 403, headers
        assert COOKIE not in forged.headers.get("set-cookie", "")
    api.client.cookies.clear()

    api.client.get("/console/sign-in")
    no_token = api.client.post(
        "/console/sign-in", data={"token": token}, headers=ORIGIN, follow_redirects=False
    )
    assert no_token.status_code == 403, "the right origin is not enough: the CSRF token too"
    wrong = api.client.post(
        "/console/sign-in",
        data={"token": token, "csrf_token": "guessed"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert wrong.status_code == 403
    api.client.cookies.clear()

    page = console.get("police", "/console/actions").text
    for headers in ({}, {"Origin": "https://evil.example"}):
        forged_out = console.post(
            "police", "/console/sign-out", {"csrf_token": csrf_of(page)}, **headers
        )
        assert forged_out.status_code == 403
    assert console.post("police", "/console/sign-out", {}, **ORIGIN).status_code == 403
    assert console.get("police", "/console/actions").status_code == 200, "still signed in"


def test_a_referer_of_the_console_is_enough_without_an_origin(api: Api) -> None:
    signed_in = post_sign_in(
        api.client, token_of(api, "reporting"), Referer="https://localhost/console/sign-in"
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/console/dashboard"


def test_the_sign_in_form_pairs_its_token_with_a_cookie(api: Api) -> None:
    form = api.client.get("/console/sign-in")
    cookie = next(c for c in form.headers.get_list("set-cookie") if c.startswith(SIGN_IN_COOKIE))
    assert f"{SIGN_IN_COOKIE}={csrf_of(form.text)}" in cookie
    assert "Secure" in cookie
    assert "HttpOnly" in cookie


def test_another_host_is_refused_and_redirects_never_name_it(api: Api) -> None:
    evil = api.client.get(
        "/console/dashboard", headers={"Host": "evil.example"}, follow_redirects=False
    )
    assert evil.status_code == 400
    assert "evil.example" not in evil.headers.get("location", "")
    assert api.client.get("/health", headers={"Host": "evil.example"}).status_code == 400

    unsigned = api.client.get("/console/dashboard", follow_redirects=False)
    assert unsigned.headers["location"] == "/console/sign-in"
    assert 'href="http' not in api.client.get("/console/sign-in").text, "links are paths"


def test_unknown_console_paths_are_the_consoles_own_404_without_the_path(
    api: Api, console: Console
) -> None:
    probe = "/console/<b>no-such-page</b>"
    for who in ("nobody", "governance"):
        for path in (probe, "/console/actions/x/y", "/console/static/<i>missing</i>.css"):
            missing = console.get(who, path)
            assert missing.status_code == 404, path
            assert missing.headers["content-type"].startswith("text/html")
            assert "<h1>Not found</h1>" in missing.text
            assert "no-such-page" not in missing.text
            assert "missing" not in missing.text
            assert "Content-Security-Policy" in missing.headers


def test_a_malformed_id_is_a_404_page_as_the_api_documents(api: Api, console: Console) -> None:
    for kind in ("meetings", "recommendations", "actions"):
        malformed = console.get("governance", f"/console/{kind}/not-a-uuid")
        assert malformed.status_code == 404
        assert "<h1>Not found</h1>" in malformed.text
        assert "not-a-uuid" not in malformed.text
        assert api.get("governance", f"/{kind}/not-a-uuid").status_code == 404


def test_a_user_lists_and_ends_their_sessions_and_governance_can_too(
    api: Api, console: Console
) -> None:
    first = session_of(api.client, token_of(api, "police"))
    second = session_of(api.client, token_of(api, "police"))
    police = api.get("governance", "/users").json()
    police_id = next(u["user"] for u in police if u["name"] == "police")

    listed = api.get("police", f"/users/{police_id}/sessions").json()
    assert len(listed) == 2
    assert {s["method"] for s in listed} == {"token"}
    assert all(s["address"] == "testclient" for s in listed)
    assert api.get("health", f"/users/{police_id}/sessions").status_code == 403
    assert api.get("governance", f"/users/{police_id}/sessions").status_code == 200

    ended = api.post("governance", f"/users/{police_id}/sessions/{listed[0]['session']}/end")
    assert ended.status_code == 200, ended.text
    assert ended.json()["ended_by"] is not None
    live = {first, second}
    statuses = {
        secret: api.client.get(
            "/console/actions", headers={"Cookie": f"{COOKIE}={secret}"}, follow_redirects=False
        ).status_code
        for secret in live
    }
    assert sorted(statuses.values()) == [200, 303], "one ended, the other still live"

    page = console.get("police", "/console/sessions")
    assert page.status_code == 200
    assert "(this one)" in page.text
    own = next(s for s in api.get("police", f"/users/{police_id}/sessions").json())
    ended_here = console.post(
        "police",
        f"/console/sessions/{own['session']}/end",
        {"csrf_token": csrf_of(page.text)},
        **ORIGIN,
    )
    assert ended_here.status_code == 303
    other = api.post("health", f"/users/{police_id}/sessions/{own['session']}/end")
    assert other.status_code == 403
