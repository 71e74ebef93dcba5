"""The console's pages for this release's reads: the work queue, completed late, sources."""

from tests.api.conftest import Api
from tests.api.console import Console
from tests.api.test_console_pages import page


def test_the_queue_page_lists_what_waits_and_is_governances_and_inspectors(api: Api) -> None:
    console = Console(api)
    action_id = api.action("health")
    api.ok("health", f"/actions/{action_id}/due-date", {"due_on": "2023-12-31", "reason": "x"})

    shown = page(console, "governance", "/console/queue")
    assert shown.status_code == 200
    assert f'href="/console/actions/{action_id}"' in shown.text
    assert "due date proposal" in shown.text
    assert "2023-12-31" in shown.text
    assert 'href="/console/queue"' in shown.text, "in the menu"
    csv = page(console, "inspector", "/console/queue.csv")
    assert csv.status_code == 200
    assert csv.text.splitlines()[1].startswith(f"due-date-proposal,{action_id},health,")

    refused = page(console, "health", "/console/queue")
    assert refused.status_code == 403
    assert "/console/queue" not in page(console, "health", "/console/actions").text


def test_the_completed_late_page_and_the_actions_list_say_how_late(api: Api) -> None:
    console = Console(api)
    body = {
        "source": {"kind": "marac", "ref": "MARAC-2024-01"},
        "agency": "police",
        "description": "Brief MARAC chairs",
        "due_on": "2024-03-31",
        "agreed_on": "2024-01-08",
    }
    action_id = api.ok("governance", "/actions", body, 201)["id"]
    done = {"completed_on": "2024-04-12", "evidence": "Done"}
    api.ok("governance", f"/actions/{action_id}/complete", done)

    shown = page(
        console, "police", "/console/completed-late", **{"from": "2024-04-01", "to": "2024-04-30"}
    )
    assert shown.status_code == 200
    assert f'href="/console/actions/{action_id}"' in shown.text
    assert "<td>12</td><td>9</td>" in shown.text
    assert "1 (100.0%)" in shown.text
    csv = page(
        console,
        "police",
        "/console/completed-late.csv",
        **{"from": "2024-04-01", "to": "2024-04-30"},
    )
    assert csv.text.splitlines()[1].startswith(f"{action_id},police,")
    listed = page(console, "police", "/console/actions")
    assert "12 days (9 working)" in listed.text
    other = page(
        console, "health", "/console/completed-late", **{"from": "2024-04-01", "to": "2024-04-30"}
    )
    assert "Nothing was completed late." in other.text


def test_an_action_page_names_who_approved_a_revision(api: Api) -> None:
    console = Console(api)
    action_id = api.action("health")
    api.ok("governance", f"/actions/{action_id}/due-date", {"due_on": "2023-10-31", "reason": "x"})
    user = api.get("governance", f"/actions/{action_id}").json()["due_date_revisions"][0]["by"]

    shown = page(console, "governance", f"/console/actions/{action_id}").text
    assert f"governance ({user})" in shown
    assert "MARAC-2023-07" in shown
