"""Tokens that expire and rotate, throttled failures, the sign-in record and errors that never
say where the database is (findings 2, 4 and 7 of issue 22), over HTTP on each store."""

import sqlite3
import warnings
from datetime import timedelta

import pytest
from sqlalchemy import update

from domain.clock import utc_now
from infrastructure.storage.users import users_table
from tests.api.conftest import BASE_URL, Api
from tests.api.console import post_sign_in, token_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def user_id(api: Api, name: str) -> str:
    return str(next(u["user"] for u in api.get("governance", "/users").json() if u["name"] == name))


def from_address(api: Api, address: str) -> TestClient:
    """Another client of the same server, from another address."""
    return TestClient(api.client.app, base_url=BASE_URL, client=(address, 40000))


def test_fifty_wrong_tokens_are_throttled_and_then_so_is_the_right_one(api: Api) -> None:
    attacker = from_address(api, "198.51.100.7")
    answers = [
        attacker.get("/meetings", headers={"Authorization": f"Bearer at_guess{n}"})
        for n in range(50)
    ]
    assert [a.status_code for a in answers[:10]] == [401] * 10
    assert {a.status_code for a in answers[10:]} == {429}
    assert int(answers[-1].headers["retry-after"]) > 800
    assert answers[-1].headers["content-type"].startswith("application/problem+json")
    right = attacker.get("/meetings", headers=api.headers["governance"])
    assert right.status_code == 429, "the right token waits too, from that address"
    form = post_sign_in(attacker, token_of(api, "governance"))
    assert form.status_code == 429, "and so does the console's sign-in form"
    assert "retry-after" in form.headers

    assert api.get("governance", "/meetings").status_code == 200, "other addresses are not"


def test_an_accounts_failures_are_counted_from_any_address(api: Api) -> None:
    expire(api, "police")
    for n in range(10):
        refused = from_address(api, f"203.0.113.{n}").get(
            "/meetings", headers=api.headers["police"]
        )
        assert refused.status_code == 401
        assert "expired" in refused.json()["detail"]
    throttled = from_address(api, "203.0.113.99").get("/meetings", headers=api.headers["police"])
    assert throttled.status_code == 429


def expire(api: Api, who: str) -> None:
    engine = api.client.app.state.services.users.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(
            update(users_table)
            .where(users_table.c.id == user_id(api, who))
            .values(token_expires_at=utc_now() - timedelta(seconds=1))
        )


def test_an_expired_token_is_refused_and_governance_issues_a_new_one(api: Api) -> None:
    listed = {u["name"]: u for u in api.get("governance", "/users").json()}
    expires = listed["health"]["token_expires_at"]
    assert expires > (utc_now() + timedelta(days=89)).isoformat()
    assert listed["governance"]["token_last_used_at"] is not None, "shown in GET /users"
    assert listed["reporting"]["token_last_used_at"] is None, "never used yet"

    expire(api, "health")
    refused = api.get("health", "/actions")
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]
    health = user_id(api, "health")
    assert api.post("inspector", f"/users/{health}/token").status_code == 403
    issued = api.post("governance", f"/users/{health}/token")
    assert issued.status_code == 200, issued.text
    new = issued.json()["token"]
    assert api.client.get("/actions", headers={"Authorization": f"Bearer {new}"}).status_code == 200

    records = api.get("governance", "/sign-ins", event="token-issued").json()["records"]
    assert [(r["user"], r["method"]) for r in records] == [(health, "token")]
    refusals = api.get("governance", "/sign-ins", event="token-refused").json()["records"]
    assert refusals[-1]["detail"] == "expired token"
    assert refusals[-1]["address"] == "testclient"


def test_every_sign_in_failure_and_sign_out_is_recorded_for_governance(api: Api) -> None:
    post_sign_in(api.client, "at_wrong")
    api.client.cookies.clear()
    post_sign_in(api.client, token_of(api, "inspector"))
    api.client.cookies.clear()
    records = api.get("governance", "/sign-ins").json()["records"]
    events = [(r["event"], r["user"], r["method"], r["address"]) for r in records]
    assert ("sign-in-failed", None, "token", "testclient") in events
    assert ("signed-in", user_id(api, "inspector"), "token", "testclient") in events
    assert all(r["at"] for r in records)
    for who in ("inspector", "reporting", "health"):
        assert api.get(who, "/sign-ins").status_code == 403


def test_identities_are_checked_before_they_are_stored(api: Api) -> None:
    police = user_id(api, "police")
    for body in (
        {"email": "not an address"},
        {"oidc_subject": "abc"},
        {"oidc_issuer": "http://idp.example", "oidc_subject": "abc"},
        {"oidc_issuer": "https://idp.example", "oidc_subject": "has spaces"},
    ):
        refused = api.post("governance", f"/users/{police}/identity", body)
        assert refused.status_code == 422, body
    set_ = api.post("governance", f"/users/{police}/identity", {"email": "Pat@Police.Example"})
    assert set_.status_code == 200, set_.text
    assert set_.json()["email"] == "pat@police.example"
    health = user_id(api, "health")
    clash = api.post("governance", f"/users/{health}/identity", {"email": "pat@police.example"})
    assert clash.status_code == 422
    assert "another user" in clash.json()["detail"]


def test_a_database_failure_never_names_the_driver_the_host_or_the_file(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = api.client.app.state.services  # type: ignore[attr-defined]
    where = f"{services.settings.database_url} at 127.0.0.1 port 5432"

    def fail(token: str) -> None:
        raise sqlite3.OperationalError(f"unable to open database file {where}")

    monkeypatch.setattr(services.users, "check_token", fail)
    client = TestClient(api.client.app, base_url=BASE_URL, raise_server_exceptions=False)
    answer = client.get("/meetings", headers=api.headers["governance"])
    assert answer.status_code == 503
    detail = answer.json()["detail"]
    assert detail.startswith("the database did not answer;")
    for leak in ("sqlite", "postgres", "127.0.0.1", "5432", "unable", "/"):
        assert leak not in detail.lower()


def test_the_sign_in_record_pages_from_any_cursor(api: Api) -> None:
    last = api.get("governance", "/sign-ins", after=9223372036854775806)
    assert last.status_code == 200, last.text
    assert last.json() == {"records": [], "next_after": None}
    assert api.get("governance", "/sign-ins", after=-1).status_code == 422
