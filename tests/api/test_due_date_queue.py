"""Agencies' proposed due dates: their effective dates, governance's queue, accept and decline."""

from tests.api.conftest import Api
from tests.builders import recorded_at


def propose(api: Api, action_id: str, due_on: str, effective_on: str | None = None) -> None:
    body = {"due_on": due_on, "reason": "Staff on leave"}
    if effective_on:
        body["effective_on"] = effective_on
    api.ok("health", f"/actions/{action_id}/due-date", body)


def test_a_proposal_waits_in_the_queue_until_accepted_effective_on_its_date(api: Api) -> None:
    action_id = api.action("health")  # agreed 2023-09-01, due 2023-09-30
    with recorded_at("2023-09-25T09:00:00+01:00"):  # a Monday
        propose(api, action_id, "2023-10-31", effective_on="2023-09-22")
    with recorded_at("2023-10-02T09:00:00+01:00"):  # the Monday after
        queue = api.get("governance", "/queue").json()
        state = api.get("health", f"/actions/{action_id}").json()

    (item,) = queue["items"]
    assert item["kind"] == "due-date-proposal"
    assert (item["action_id"], item["agency"]) == (action_id, "health")
    assert item["submitted_at"].startswith("2023-09-25T08:00:00")
    assert item["working_days_waiting"] == 5
    assert (item["due_on"], item["proposed_due_on"], item["effective_on"]) == (
        "2023-09-30",
        "2023-10-31",
        "2023-09-22",
    )
    assert (item["submitted_by"], item["submitted_by_name"]) == (state_by(state), "health")
    (proposal,) = state["proposed_due_dates"]
    assert (proposal["status"], proposal["effective_on"], proposal["by_name"]) == (
        "pending",
        "2023-09-22",
        "health",
    )
    assert state["due_on"] == "2023-09-30"

    with recorded_at("2023-10-02T10:00:00+01:00"):
        accepted = api.ok("governance", f"/actions/{action_id}/due-date/accept", {})
        state = api.get("health", f"/actions/{action_id}").json()
        assert api.get("governance", "/queue").json()["items"] == []
    assert accepted["version"] == 4  # the decision, then the revision it makes
    assert state["due_on"] == "2023-10-31"
    (revision,) = state["due_date_revisions"]
    assert (revision["due_on"], revision["effective_on"], revision["reason"]) == (
        "2023-10-31",
        "2023-09-22",
        "Staff on leave",
    )
    assert revision["by_name"] == "governance"
    (proposal,) = state["proposed_due_dates"]
    assert (proposal["status"], proposal["decided_by_name"]) == ("accepted", "governance")
    types = [
        e["type"] for e in api.get("inspector", f"/actions/{action_id}/history").json()["events"]
    ]
    assert types[-2:] == ["AgencyAction.DueDateProposalAccepted", "AgencyAction.DueDateRevised"]
    overdue = api.get("governance", "/reports/overdue-actions", as_of="2023-10-02").json()
    assert overdue["rows"] == [], "due 2023-10-31 from 2023-09-22 on"


def state_by(state: dict[str, object]) -> str:
    proposals = state["proposed_due_dates"]
    assert isinstance(proposals, list)
    return str(proposals[0]["by"])


def test_governance_declines_with_a_reason_and_the_due_date_stays(api: Api) -> None:
    action_id = api.action("health")
    propose(api, action_id, "2023-12-31")

    no_reason = api.post("governance", f"/actions/{action_id}/due-date/decline", {})
    assert no_reason.status_code == 422
    api.ok("governance", f"/actions/{action_id}/due-date/decline", {"reason": "Not justified"})

    state = api.get("governance", f"/actions/{action_id}").json()
    assert state["due_on"] == "2023-09-30"
    assert state["due_date_revisions"] == []
    (proposal,) = state["proposed_due_dates"]
    assert (proposal["status"], proposal["decision_reason"]) == ("declined", "Not justified")
    assert api.get("governance", "/queue").json()["items"] == []
    again = api.post("governance", f"/actions/{action_id}/due-date/accept", {})
    assert again.status_code == 409
    assert again.json()["title"] == "No proposal waiting"


def test_a_later_proposal_supersedes_the_waiting_one_and_the_queue_is_oldest_first(
    api: Api,
) -> None:
    first, second = api.action("health"), api.action("police")
    with recorded_at("2023-09-20T09:00:00+01:00"):
        propose(api, first, "2023-10-15")
    with recorded_at("2023-09-21T09:00:00+01:00"):
        api.ok("police", f"/actions/{second}/due-date", {"due_on": "2023-11-30", "reason": "x"})
    with recorded_at("2023-09-22T09:00:00+01:00"):
        propose(api, first, "2023-10-31")

    items = api.get("inspector", "/queue").json()["items"]
    assert [(i["action_id"], i["proposed_due_on"]) for i in items] == [
        (second, "2023-11-30"),
        (first, "2023-10-31"),
    ]
    state = api.get("governance", f"/actions/{first}").json()
    assert [p["status"] for p in state["proposed_due_dates"]] == ["superseded", "pending"]

    api.ok(
        "governance",
        f"/actions/{second}/complete",
        {"completed_on": "2023-09-28", "evidence": "Done"},
    )
    assert [i["action_id"] for i in api.get("governance", "/queue").json()["items"]] == [first]
    csv = api.get("governance", "/queue", format="csv").text.splitlines()
    assert csv[0].startswith(
        "kind,action_id,agency,agency_name,description,submitted_at,submitted_by,"
    )
    assert csv[1].startswith(f"due-date-proposal,{first},health,")


def test_only_governance_decides_and_agency_staff_cannot_read_the_queue(api: Api) -> None:
    action_id = api.action("health")
    propose(api, action_id, "2023-12-31")

    assert api.post("health", f"/actions/{action_id}/due-date/accept", {}).status_code == 403
    refused = api.post("health", f"/actions/{action_id}/due-date/decline", {"reason": "x"})
    assert refused.status_code == 403
    assert api.get("health", "/queue").status_code == 403
    assert api.get("reporting", "/queue").status_code == 403
    assert api.get("nobody", "/queue").status_code == 401


def test_a_proposal_is_refused_in_the_future_before_the_action_or_for_the_same_date(
    api: Api,
) -> None:
    action_id = api.action("health")  # agreed 2023-09-01, due 2023-09-30
    base = f"/actions/{action_id}/due-date"
    body = {"due_on": "2023-12-31", "reason": "x"}

    assert api.post("health", base, {**body, "effective_on": "2999-01-01"}).status_code == 422
    assert api.post("health", base, {**body, "effective_on": "2023-08-31"}).status_code == 409
    assert api.post("health", base, {"due_on": "2023-09-30", "reason": "x"}).status_code == 422
    assert api.get("governance", "/queue").json()["items"] == []
