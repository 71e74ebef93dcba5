"""Stalled projections from the command line: status, reports, retry and a recorded skip.

Each ``run`` is a fresh runner over the stored state, as separate processes would be.
"""

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest

from domain.codes import Role
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from tests.cli.conftest import Run
from tests.poison import poison_recommendation

RESPONSES = "response_history"


@pytest.fixture
def poisoned(settings: Settings, governance: str) -> Iterator[tuple[UUID, int]]:
    """A recommendation no read model can store, written below the edge: id and position."""
    app = build_application(settings)
    try:
        yield poison_recommendation(app, Actor("u-ops", Role.GOVERNANCE))
    finally:
        app.close()


def skip_at(position: int) -> list[str]:
    return ["projections", "skip", RESPONSES, "--position", str(position)]


def statuses(run: Run, token: str) -> dict[str, dict[str, Any]]:
    result = run("projections", "status", "--json", token=token)
    assert result.code == 0, result.err
    return {p["name"]: p for p in result.json()["projections"]}


def test_a_stall_shows_in_status_and_reports_of_it_exit_10(
    run: Run, governance: str, poisoned: tuple[UUID, int]
) -> None:
    recommendation_id, position = poisoned
    report = run("report", "responses", str(recommendation_id), "--json", token=governance)
    assert report.code == 10
    assert f"response_history is stalled at position {position}" in report.err
    assert run("report", "quality", "--audit-ref", "A1", "--json", token=governance).code == 0

    shown = statuses(run, governance)
    assert shown[RESPONSES]["status"] == "stalled"
    assert shown[RESPONSES]["stalled_at"] == position
    assert shown[RESPONSES]["error"].startswith(("OverflowError:", "NumericValueOutOfRange:"))
    assert {p["status"] for name, p in shown.items() if name != RESPONSES} == {"ok"}
    table = run("projections", "status", token=governance)
    assert table.code == 0
    assert "stalled" in table.out
    assert str(position) in table.out

    retried = run("projections", "retry", RESPONSES, "--json")
    assert retried.code == 10
    (again,) = retried.json()["projections"]
    assert (again["stalled_at"], again["error"]) == (position, shown[RESPONSES]["error"])
    assert run("projections", "retry", "nonsense").code == 2

    rebuilt = run("projections", "rebuild", "--json")
    assert rebuilt.code == 10
    assert rebuilt.json()["stalled"] == {
        RESPONSES: {"stalled_at": position, "error": shown[RESPONSES]["error"]}
    }


def test_a_governance_skip_is_audited_and_the_projection_reaches_the_head(
    run: Run,
    governance: str,
    add_user: Callable[..., dict[str, Any]],
    poisoned: tuple[UUID, int],
) -> None:
    _, position = poisoned
    run("projections", "retry")  # stalls it
    skip = skip_at(position)
    reason = ["--reason", "Number too large to store; ticket OPS-7"]

    reporting = add_user("Rita", "reporting")["token"]
    refused = run(*skip, *reason, token=reporting)
    assert refused.code == 4
    assert run(*skip, *reason).code == 4  # no token
    assert run(*skip_at(position + 1), *reason, token=governance).code == 6
    blank = run(*skip, "--reason", " ", token=governance)
    assert (blank.code, blank.err.startswith("error: invalid skip: reason")) == (3, True)
    assert statuses(run, governance)[RESPONSES]["status"] == "stalled"

    done = run(*skip, *reason, "--json", token=governance)
    assert done.code == 0, done.err
    answer = done.json()
    assert answer["projection"]["status"] == "ok"
    assert answer["projection"]["lag"] == 0
    assert answer["projection"]["position"] == answer["skip"]["position"]
    assert {p["lag"] for p in statuses(run, governance).values()} == {0}

    log = run("audit-log", "--type", "ProjectionSkip.Recorded", "--json", token=governance)
    (event,) = log.json()["events"]
    assert event["aggregate_id"] == answer["skip"]["id"]
    assert event["aggregate_type"] == "ProjectionSkip"
    assert event["data"] == {
        "projection": RESPONSES,
        "position": position,
        "reason": "Number too large to store; ticket OPS-7",
    }
    history = run("history", answer["skip"]["id"], "--json", token=governance)
    assert history.code == 0, history.err
    assert history.json()["state"]["reason"] == "Number too large to store; ticket OPS-7"
    assert run(*skip, *reason, token=governance).code == 6  # no longer stalled there


def test_status_is_for_the_roles_that_may_read_it_over_http_too(
    run: Run, governance: str, add_user: Callable[..., dict[str, Any]]
) -> None:
    """``projections status`` and ``GET /projections`` follow one rule: ``StatusQuery``'s row of
    the application's role table (the report readers)."""
    agency = add_user("Pat", "agency", "police")["token"]
    reporting = add_user("Rita", "reporting")["token"]

    assert run("projections", "status").code == 4  # no token
    refused = run("projections", "status", token=agency)
    assert refused.code == 4
    assert "the agency role may not read the projections' status" in refused.err
    assert run("projections", "status", "--json", token=reporting).code == 0
