"""The web console over HTTP (``/console``), on each store: its security headers, role rules
and error pages (sessions and sign-in: ``test_console_sessions.py``). The browser tests
(``tests/console``) walk it in Chromium."""

import re
from pathlib import Path

import httpx
import pytest
from freezegun import freeze_time

from application.inputs import DEFAULT_PAGE
from domain.reference import DEFAULT_AGENCIES
from infrastructure.console.security import CONTENT_SECURITY_POLICY
from tests.api.conftest import Api
from tests.api.console import Console


@pytest.fixture
def console(api: Api) -> Console:
    return Console(api)


def page(console: Console, who: str, path: str, **params: object) -> httpx.Response:
    """A console page as ``who`` (signed in through the form)."""
    return console.get(who, path, **params)


def test_without_a_session_every_page_asks_to_sign_in(api: Api, console: Console) -> None:
    for path in ("/console", "/console/dashboard", "/console/actions", "/console/overdue"):
        response = page(console, "nobody", path)
        assert response.status_code == 303, path
        assert response.headers["location"].endswith("/console/sign-in")


def test_pages_carry_a_strict_content_security_policy(api: Api, console: Console) -> None:
    response = page(console, "governance", "/console/dashboard")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'none'" in CONTENT_SECURITY_POLICY
    assert "<script" not in response.text
    assert "style=" not in response.text
    assert 'src="http' not in response.text, "no asset from elsewhere"


def test_roles_see_what_the_api_lets_them_see(api: Api, console: Console) -> None:
    police_action = api.action("police")
    health_action = api.action("health")

    reporting = page(console, "reporting", "/console/dashboard")
    assert reporting.status_code == 200
    assert "Open recommendations by RAG" not in reporting.text, "reporting lists no aggregates"
    assert page(console, "reporting", f"/console/actions/{police_action}").status_code == 403

    own = page(console, "police", "/console/actions")
    assert police_action in own.text
    assert health_action not in own.text
    assert page(console, "police", f"/console/actions/{police_action}").status_code == 200
    forbidden = page(console, "police", f"/console/actions/{health_action}")
    assert forbidden.status_code == 403
    assert "own agency" in forbidden.text
    assert page(console, "police", "/console/dashboard").status_code == 403

    assert page(console, "inspector", f"/console/actions/{health_action}").status_code == 200


def test_unknown_ids_and_bad_input_are_error_pages(api: Api, console: Console) -> None:
    missing = page(console, "governance", "/console/actions/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert "<h1>Not found</h1>" in missing.text
    bad = page(console, "governance", "/console/meetings", status="bogus")
    assert bad.status_code == 422
    assert "requested" in bad.text
    both = page(
        console, "governance", f"/console/actions/{api.action()}", version=1, at="2024-01-01"
    )
    assert both.status_code == 422
    assert "give one of version, at and known_at, not version and at" in both.text


def test_view_as_at_a_version_and_at_a_recorded_time(api: Api, console: Console) -> None:
    action = api.action("health")
    api.ok("governance", f"/actions/{action}/progress", {"note": "Started the review"})
    path = f"/console/actions/{action}"
    state_now = page(console, "governance", path).text.split('id="events"')[0]
    assert "Started the review" in state_now
    then = page(console, "governance", path, version=1).text
    assert "State as known at version 1 (version 1 of 2)" in then
    assert "Started the review" not in then, "no section shows a later fact"
    assert "1 event(s) recorded later, or taking effect later, are not shown" in then
    before = page(console, "governance", path, at="2000-01-01T00:00")
    assert before.status_code == 404, "nothing was recorded then"
    assert "first recorded at" in before.text


def test_a_list_page_links_its_next_page_and_its_csv_is_the_apis(
    api: Api, console: Console
) -> None:
    for _ in range(3):
        api.action("police")
    first = page(console, "governance", "/console/actions", agency="police", limit=2)
    assert 'rel="next"' in first.text
    assert "after=2" in first.text
    console_csv = page(console, "governance", "/console/actions.csv", agency="police", limit=2)
    api_csv = api.get("governance", "/actions", agency="police", limit=2, format="csv")
    assert console_csv.headers["content-type"].startswith("text/csv")
    assert console_csv.text == api_csv.text


def test_every_section_of_a_page_as_at_is_at_that_point(api: Api, console: Console) -> None:
    rec = api.recommendation()  # raised on 2023-10-16
    base = f"/recommendations/{rec}"
    api.ok("governance", f"{base}/responses", {"text": "Health invited", "dated": "2024-01-08"})
    api.ok(
        "governance",
        f"{base}/actions",
        {
            "agency": "health",
            "description": "Reiterate the process",
            "due_on": "2024-02-29",
            "agreed_on": "2024-01-08",
        },
        201,
    )
    api.ok(
        "governance",
        f"{base}/status",
        {"status": "implemented", "rag": "green", "reason": "Done", "effective_on": "2024-04-30"},
    )
    api.ok(
        "governance",
        f"{base}/status",
        {"status": "in-progress", "rag": "amber", "reason": "Begun", "effective_on": "2024-01-08"},
    )
    path = f"/console/recommendations/{rec}"

    now = page(console, "governance", path).text
    state_now = now.split('id="rec-actions"')[0]
    assert "implemented" in state_now
    assert "amber" not in state_now, "the current status is the latest effective one"
    changes = now.split("<caption>Status changes</caption>")[1].split("</table>")[0]
    assert changes.index("2024-01-08") < changes.index("2024-04-30")

    for params in ({"version": 1}, {"as_of": "2023-12-15"}):
        then = page(console, "governance", path, **params)
        assert then.status_code == 200
        assert "2024" not in then.text.split("</form>")[1], f"a 2024 fact on the page {params}"
        assert "No response then." in then.text
        assert "No action then." in then.text
        assert "No status change then." in then.text
        assert "every section of this page is at that point" in then.text
    january = page(console, "governance", path, as_of="2024-01-31").text
    assert "State as it stood on 31 January 2024" in january
    assert "Reiterate the process" in january
    assert "2024-04-30" not in january.split("</form>")[1]
    state_then = january.split('id="rec-actions"')[0]
    assert "in-progress" in state_then
    assert "amber" in state_then


def test_times_are_shown_as_precisely_as_they_are_asked(api: Api, console: Console) -> None:
    """A time read off the console and asked again gives the API's (and the command line's)
    answer: shown to the second, asked to the second, never cut to the minute."""
    with freeze_time("2024-01-15 12:48:10"):
        api.action("police")
    with freeze_time("2024-01-15 12:48:46"):
        second = api.action("police")
    events = page(console, "governance", f"/console/actions/{second}").text
    assert ">2024-01-15 12:48:46</time>" in events, "recorded at, to the second"

    asked = {"as_of": "2024-01-15", "known_at": "2024-01-15T12:48:46"}
    shown = page(console, "governance", "/console/overdue", **asked).text
    report = api.get(
        "governance", "/reports/overdue-actions", **{**asked, "known_at": "2024-01-15T12:48:46Z"}
    ).json()
    assert len(report["rows"]) == 2
    assert "2 action(s) overdue, as the records stood at <time" in shown
    assert ">2024-01-15 12:48:46</time>" in shown.split("action(s) overdue")[1]
    assert 'type="datetime-local" step="1" value="2024-01-15T12:48:46"' in shown
    a_second_before = {**asked, "known_at": "2024-01-15T12:48:45"}
    assert (
        "1 action(s) overdue"
        in page(console, "governance", "/console/overdue", **a_second_before).text
    )


def test_the_agency_filters_are_choices_of_the_configured_agencies(
    api: Api, console: Console
) -> None:
    for path in ("/console/actions", "/console/overdue", "/console/completed-late"):
        html = page(console, "governance", path, agency="police").text
        assert '<input id="agency"' not in html, path
        choices = re.findall(r'<option value="([^"]*)"( selected)?>', html.split('id="agency"')[1])
        offered = [value for value, _ in choices if value][: len(DEFAULT_AGENCIES)]
        assert offered == list(DEFAULT_AGENCIES), path
        assert ("police", " selected") in choices, path


def test_the_console_documents_its_page_size() -> None:
    text = (Path(__file__).parents[2] / "docs" / "console.md").read_text()
    assert f"{DEFAULT_PAGE} a page" in text
    assert "25 a page" not in text
