"""The console in headless Chromium, on the demo database served by ``actiontrail serve``.

Every page visited is screenshotted (under the test's folder and ``browser.REVIEW_FOLDER``) and
must log no console error: the Content-Security-Policy blocks nothing the console asks for.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.console.browser import Browser
from tests.console.conftest import PARTNERSHIP, Chromium, Demo
from tests.console.svg import series_colours
from tests.e2e.processes import cli, cli_json

#: One xdist worker runs this module whole, so the ``demo`` (module scope) is served once a store.
pytestmark = pytest.mark.xdist_group("console")


def sign_in(browser: Browser, token: str) -> None:
    browser.open("/console/sign-in")
    browser.page_is_clean("sign-in")
    browser.fill("token", token)
    browser.submit("form[action$='/console/sign-in'] button")


def test_governance_follows_a_recommendation_to_its_action_and_back_in_time(
    chromium: Chromium, demo: Demo, tmp_path: Path
) -> None:
    with chromium(demo.url, tmp_path, f"{demo.store}-governance") as browser:
        sign_in(browser, demo.governance)
        assert browser.path() == "/console/dashboard"

        browser.open("/console/dashboard?from=2023-06-01&to=2024-04-01")
        assert browser.heading().startswith("Dashboard")
        charts = browser.find_all("img.chart")
        assert len(charts) == 4
        assert all(c.get_attribute("naturalWidth") != "0" for c in charts), "a chart is blank"
        assert "SM-AUDIT-2023" in browser.find("#quality + table").text
        overdue = browser.find("#overdue ~ table").text
        assert "Police 2" in overdue, "overdue on 2024-04-01 by agency"
        browser.page_is_clean("dashboard")
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        assert not browser.find(".site-header").is_displayed(), "printed without the menu"
        assert not browser.find("form.filters").is_displayed()
        browser.page_is_clean("dashboard-print")
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

        browser.find("nav a[href$='/console/recommendations']").click()
        browser.page_is_clean("recommendations")
        browser.find("tbody th a").click()
        assert browser.heading().startswith("Recommendation: SM-AUDIT-2023 no. 1")
        assert (
            "Response 1, dated 2024-01-08"
            in browser.find("#responses").find_element("xpath", "..").text
        )
        browser.page_is_clean("recommendation")
        recommendation_path = browser.path()

        browser.fill("version", "1")
        browser.submit("form.as-at button")
        path, _, query = browser.path().partition("?")
        assert path == recommendation_path
        assert "version=1" in query.split("&")
        assert browser.find("#state-heading").text.startswith("State as known at version 1")
        assert "status\nopen\nrag\n—" in browser.find("dl.state").text
        browser.page_is_clean("recommendation-as-at")
        browser.find(".notice a").click()
        assert "status\nin-progress\nrag\namber" in browser.find("dl.state").text

        browser.find("#rec-actions + ul a").click()
        assert browser.heading().startswith("Action:")
        assert browser.find("#state-heading").text.startswith("Current state")
        browser.page_is_clean("action")

        browser.open("/console/overdue?as_of=2024-04-01")
        assert len(browser.find_all("tbody tr")) == 5
        browser.page_is_clean("overdue")

        browser.open("/console/actions?agency=police")
        browser.page_is_clean("actions")
        browser.find("a[download]").click()
        csv = browser.downloaded("actions.csv").read_text()
        api = httpx.get(
            f"{demo.url}/actions",
            params={"agency": "police", "limit": 25, "format": "csv"},
            headers={"Authorization": f"Bearer {demo.governance}"},
        )
        assert csv == api.text

        browser.open("/console/meetings")
        browser.page_is_clean("meetings")
        browser.find("tbody th a").click()
        assert browser.heading().startswith("Meeting:")
        browser.page_is_clean("meeting")

        browser.submit("form.sign-out button")
        assert browser.path() == "/console/sign-in"
        browser.open("/console/dashboard")
        assert browser.path() == "/console/sign-in", "signed out, the console asks to sign in"
        browser.page_is_clean("signed-out")


def row_of(browser: Browser, table: str, first_cell: str) -> dict[str, str]:
    """A row of a dashboard table by its first cell, as {column: text}."""
    columns = [th.text for th in browser.find_all(f"{table} thead th")]
    for row in browser.find_all(f"{table} tbody tr"):
        cells = [c.text for c in row.find_elements("css selector", "th, td")]
        if cells[0] == first_cell:
            return dict(zip(columns, cells, strict=True))
    raise AssertionError(f"no row {first_cell} in {table}")


def test_the_dashboard_is_a_board_pack_on_the_demo(
    chromium: Chromium, demo: Demo, tmp_path: Path
) -> None:
    with chromium(demo.url, tmp_path, f"{demo.store}-board-pack") as browser:
        sign_in(browser, demo.governance)
        browser.open("/console/dashboard")
        # The demo's meetings are of 2023: the default period is the twelve whole months to
        # the latest month a meeting was held in, not the (empty) months to today.
        assert browser.find("h1 .period").text == "2023-01-01 to 2023-12-31"
        assert len(browser.find_all("img.chart")) == 3, "attendance, timeliness and RAG charts"
        december = row_of(browser, "#attendance ~ table", "2023-12")
        assert december["held"] == "16"
        assert december["Health: % attended"] == "87.5%"
        assert december["Health: invited"] == "invited 14 of 16 (87.5%), attended 14"
        assert row_of(browser, "#timeliness ~ table", "2023-10")["held"] == "0", "empty kept"
        browser.page_is_clean("dashboard-default")

        browser.open("/console/dashboard?from=2023-06-01&to=2024-04-30")
        colours: dict[str, set[tuple[str, str]]] = {}
        for chart in browser.find_all("img.chart"):
            for label, colour in series_colours(chart.get_attribute("src")).items():
                colours.setdefault(label, set()).add(colour)
        for agency in ("Children's social care", "Police", "Health"):
            assert len(colours[agency]) == 1, (agency, colours[agency])
        agency_colours = [colours[a] for a in ("Children's social care", "Police", "Health")]
        assert len(set.union(*agency_colours)) == 3, "each agency its own colour"
        browser.page_is_clean("dashboard-agencies")

        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        produced = browser.find("p.produced")
        assert produced.is_displayed(), "the printout carries it"
        today = datetime.now(ZoneInfo("Europe/London")).date().isoformat()
        assert produced.text.startswith(f"{PARTNERSHIP} · produced on {today} ")
        browser.page_is_clean("dashboard-printed")
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_an_agency_user_cannot_reach_another_agencys_action(
    chromium: Chromium, demo: Demo, tmp_path: Path
) -> None:
    health_action = next(
        row["action_id"]
        for row in demo.printed["reports"]["overdue"]["rows"]
        if row["agency"] == "health"
    )
    with chromium(demo.url, tmp_path, f"{demo.store}-police") as browser:
        sign_in(browser, demo.police)
        assert browser.path() == "/console/actions", browser.find("main").text
        agencies = {
            row.find_elements("css selector", "td")[0].text for row in browser.find_all("tbody tr")
        }
        assert agencies == {"Police"}
        browser.page_is_clean("police-actions")

        browser.open(f"/console/actions/{health_action}")
        assert browser.heading() == "Not allowed"
        assert "own agency" in browser.find(".problem").text
        browser.screenshot("police-forbidden")
        errors = browser.errors()
        assert all("status of 403" in e for e in errors), errors  # the page itself, no other

        browser.open("/console/dashboard")
        assert browser.heading() == "Not allowed"


def test_the_inspectors_question_on_the_demo(
    chromium: Chromium, demo: Demo, tmp_path: Path
) -> None:
    """ "Recommendation 1 of the demo as it stood on 15 December 2023": open, no response yet;
    as known before the demo ran, a 404 saying when it was first recorded. Through HTTP, the
    command line and the console, whose page as at version 1 shows no fact of 2024 either."""
    headers = {"Authorization": f"Bearer {demo.governance}"}
    listed = httpx.get(
        f"{demo.url}/recommendations", params={"source_ref": "SM-AUDIT-2023"}, headers=headers
    )
    rec = next(r for r in listed.json()["items"] if r["number"] == 1)
    assert (rec["status"], rec["rag"]) == ("in-progress", "amber")
    path = f"/recommendations/{rec['id']}"

    then = httpx.get(f"{demo.url}{path}", params={"as_of": "2023-12-15"}, headers=headers)
    assert then.status_code == 200, then.text
    stood = then.json()
    assert (stood["status"], stood["rag"], stood["responses"], stood["actions"]) == (
        "open",
        None,
        [],
        [],
    )
    before_the_demo = {"as_of": "2023-12-15", "known_at": "2023-12-15T23:59:59+00:00"}
    unknown = httpx.get(f"{demo.url}{path}", params=before_the_demo, headers=headers)
    assert unknown.status_code == 404
    detail = unknown.json()["detail"]
    assert detail.startswith(f"recommendation {rec['id']} was first recorded at ")
    assert detail.endswith(", after 2023-12-15T23:59:59+00:00")

    shown = cli_json(demo.env, "show", rec["id"], "--as-of", "2023-12-15", token=demo.governance)
    assert shown == stood
    refused = cli(
        demo.env,
        *("show", rec["id"], "--as-of", "2023-12-15"),
        *("--known-at", "2023-12-15T23:59:59+00:00", f"--token={demo.governance}"),
    )
    assert refused.returncode == 5
    assert refused.stderr.strip() == f"error: {detail}"

    with chromium(demo.url, tmp_path, f"{demo.store}-inspector") as browser:
        sign_in(browser, demo.governance)
        browser.open(f"/console{path}?as_of=2023-12-15")
        assert browser.find("#state-heading").text.startswith(
            "State as it stood on 15 December 2023"
        )
        assert "status\nopen\nrag\n—" in browser.find("dl.state").text
        assert "No response then." in browser.find("main").text
        browser.page_is_clean("recommendation-as-of-2023-12-15")

        browser.open(f"/console{path}?version=1")
        main = browser.find("main").text
        assert browser.find("#state-heading").text.startswith("State as known at version 1")
        assert "2024" not in main, "a fact of 2024 on the page as at version 1"
        assert "No response then." in main
        browser.page_is_clean("recommendation-version-1")


def test_an_agency_user_follows_an_actions_source_to_its_recommendation(
    chromium: Chromium, demo: Demo, tmp_path: Path
) -> None:
    with chromium(demo.url, tmp_path, f"{demo.store}-police-source") as browser:
        sign_in(browser, demo.police)
        browser.find("tbody th a").click()
        assert browser.heading().startswith("Action:")
        source = browser.find("dd.source a")
        assert source.text.startswith("SM-AUDIT-2023 recommendation ")
        browser.page_is_clean("police-action")
        source.click()
        assert browser.heading().startswith("Recommendation: SM-AUDIT-2023 no.")
        assert browser.find_all("#events") == [], "the state only, not its events"
        links = browser.find_all("#rec-actions + ul a")
        assert links, "the police action is listed"
        browser.page_is_clean("police-recommendation")

        browser.open("/console/completed-late?from=2023-01-01&to=2024-12-31")
        assert browser.heading().startswith("Actions completed late")
        browser.page_is_clean("police-completed-late")
        browser.open("/console/queue")
        assert browser.heading() == "Not allowed"


def test_governance_reads_the_queue_and_sources_by_their_labels(
    chromium: Chromium, demo: Demo, tmp_path: Path
) -> None:
    with chromium(demo.url, tmp_path, f"{demo.store}-governance-labels") as browser:
        sign_in(browser, demo.governance)
        browser.find("nav a[href$='/console/queue']").click()
        assert browser.heading() == "Waiting for governance"
        browser.page_is_clean("queue")
        browser.open("/console/overdue?as_of=2024-04-01")
        labels = [link.text for link in browser.find_all("tbody td a")]
        assert labels, "each overdue action's source links its record"
        assert all(label.startswith("SM-AUDIT-2023 recommendation ") for label in labels)
        browser.page_is_clean("overdue-labels")
