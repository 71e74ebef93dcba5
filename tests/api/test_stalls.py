"""A stalled read model over HTTP: shown by /projections and /health, named by its reports."""

import time
from typing import Any

import pytest

from domain.codes import Role
from domain.values import Actor
from infrastructure.cli import main
from infrastructure.config import Settings
from tests.api.conftest import Api
from tests.poison import poison_recommendation


def until_stalled(api: Api) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + 10
    while True:
        response = api.get("reporting", "/projections")
        assert response.status_code == 200, response.text
        statuses = {p["name"]: p for p in response.json()["projections"]}
        if any(p["status"] == "stalled" for p in statuses.values()):
            return statuses
        assert time.monotonic() < deadline, statuses
        time.sleep(0.05)


def test_a_stalled_projection_shows_and_its_reports_answer_503_naming_it(api: Api) -> None:
    trail = api.client.app.state.services.trail  # type: ignore[attr-defined]
    action_id = api.action()
    recommendation_id, position = poison_recommendation(trail, Actor("u-ops", Role.GOVERNANCE))
    later = api.recommendation(number=2)

    statuses = until_stalled(api)
    stalled = statuses.pop("response_history")
    assert stalled["status"] == "stalled"
    assert stalled["stalled_at"] == position
    assert stalled["position"] == position - 1
    assert stalled["error"].startswith(("OverflowError:", "NumericValueOutOfRange:"))
    assert {p["status"] for p in statuses.values()} == {"ok"}

    health = api.client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["stalled"] == ["response_history"]

    started = time.monotonic()
    for path in (
        f"/reports/response-history/{later}",
        f"/reports/response-history/{recommendation_id}",
    ):
        response = api.get("reporting", path)
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["title"] == "Read model stalled"
        assert f"response_history is stalled at position {position}" in response.json()["detail"]
    assert time.monotonic() - started < 3

    overdue = api.get("reporting", "/reports/overdue-actions")
    assert overdue.status_code == 200
    assert [row["action_id"] for row in overdue.json()["rows"]] == [action_id]
    log = api.get("reporting", "/audit-log", limit=10)
    assert log.status_code == 200
    assert log.json()["events"][-1]["aggregate_id"] == later


def test_a_skip_recorded_by_the_cli_process_is_honoured_by_the_server_at_once(
    api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    trail = api.client.app.state.services.trail  # type: ignore[attr-defined]
    _, position = poison_recommendation(trail, Actor("u-ops", Role.GOVERNANCE))
    later = api.recommendation(number=2)
    until_stalled(api)

    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_SCHEMA", settings.database_schema)
    monkeypatch.setenv(
        "ACTIONTRAIL_TOKEN", api.headers["governance"]["Authorization"].removeprefix("Bearer ")
    )
    skip = ["projections", "skip", "response_history", "--position", str(position)]
    assert main([*skip, "--reason", "Number too large to store"]) == 0

    report = api.get("reporting", f"/reports/response-history/{later}")
    assert report.status_code == 200, report.text
    assert report.json()["number"] == 2
    deadline = time.monotonic() + 10
    while api.client.get("/health").json()["status"] != "ok":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    statuses = api.get("reporting", "/projections").json()["projections"]
    assert {(p["status"], p["lag"]) for p in statuses} == {("ok", 0)}


def test_health_is_ok_without_stalls(api: Api) -> None:
    api.action()
    assert api.client.get("/health").json() == {
        "status": "ok",
        "database": api.client.app.state.services.settings.store,  # type: ignore[attr-defined]
        "head": 1,
    }
