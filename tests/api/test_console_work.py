"""The console's pages for this release's reads: the work queue, completed late, sources."""

from tests.api.conftest import Api
from tests.api.test_console_pages import page


def test_the_queue_page_lists_what_waits_and_is_governances_and_inspectors(api: Api) -> None:
    action_id = api.action("health")
    api.ok("health", f"/actions/{action_id}/due-date", {"due_on": "2023-12-31", "reason": "x"})

    shown = page(api, "governance", "/console/queue")
    assert shown.status_code == 200
    assert f'href="http://testserver/console/actions/{action_id}"' in shown.text
    assert "due date proposal" in shown.text
    assert "2023-12-31" in shown.text
    assert 'href="http://testserver/console/queue"' in shown.text, "in the menu"
    csv = page(api, "inspector", "/console/queue.csv")
    assert csv.status_code == 200
    assert csv.text.splitlines()[1].startswith(f"due-date-proposal,{action_id},health,")

    refused = page(api, "health", "/console/queue")
    assert refused.status_code == 403
    assert "/console/queue" not in page(api, "health", "/console/actions").text
