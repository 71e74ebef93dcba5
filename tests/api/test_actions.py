"""Agency actions over HTTP, and what agency staff may do with them."""

from tests.api.conftest import Api


def test_an_action_progressed_redated_reassigned_completed_reopened(api: Api) -> None:
    action_id = api.action("health")
    base = f"/actions/{action_id}"
    api.ok("health", f"{base}/progress", {"note": "Template drafted"})
    api.ok("governance", f"{base}/due-date", {"due_on": "2023-10-31", "reason": "Staff leave"})
    api.ok("governance", f"{base}/reassign", {"agency": "police", "reason": "Police own MARAC"})
    api.ok("police", f"{base}/complete", {"completed_on": "2023-10-20", "evidence": "Done"})

    state = api.get("inspector", base).json()
    assert state["status"] == "completed"
    assert (state["agency"], state["completed_on"]) == ("police", "2023-10-20")
    assert (state["original_due_on"], state["due_on"]) == ("2023-09-30", "2023-10-31")
    assert state["source"] == {
        "kind": "marac",
        "ref": "MARAC-2023-07",
        "title": None,
        "label": "MARAC-2023-07",
        "id": None,
        "href": None,
    }
    assert state["progress_notes"] == ["Template drafted"]
    again = api.post("police", f"{base}/complete", {"completed_on": "2023-10-21", "evidence": "x"})
    assert again.status_code == 409
    assert again.json()["title"] == "Action completed or cancelled"

    api.ok("governance", f"{base}/reopen", {"reason": "Evidence missing"})
    api.ok("governance", f"{base}/cancel", {"reason": "No longer needed"})
    assert api.get("governance", base).json()["status"] == "cancelled"


def test_agency_due_date_is_a_proposal_and_governance_revises(api: Api) -> None:
    action_id = api.action("health")

    proposed = api.ok(
        "health", f"/actions/{action_id}/due-date", {"due_on": "2023-12-31", "reason": "Leave"}
    )

    state = api.get("health", f"/actions/{action_id}").json()
    assert proposed["version"] == 2
    assert state["due_on"] == "2023-09-30"
    assert state["proposed_due_dates"][0]["due_on"] == "2023-12-31"
    history = api.get("health", f"/actions/{action_id}/history").json()["events"]
    assert history[-1]["type"] == "AgencyAction.DueDateProposed"

    api.ok("governance", f"/actions/{action_id}/due-date", {"due_on": "2023-12-31", "reason": "Ok"})
    assert api.get("health", f"/actions/{action_id}").json()["due_on"] == "2023-12-31"


def test_revising_a_cancelled_actions_due_date_is_409(api: Api) -> None:
    action_id = api.action()
    api.ok("governance", f"/actions/{action_id}/cancel", {"reason": "Duplicate"})

    response = api.post(
        "governance", f"/actions/{action_id}/due-date", {"due_on": "2023-12-31", "reason": "x"}
    )

    assert response.status_code == 409


def test_agency_staff_act_only_on_their_own_agencys_actions(api: Api) -> None:
    health_action = api.action("health")
    base = f"/actions/{health_action}"

    assert api.post("police", f"{base}/progress", {"note": "x"}).status_code == 403
    assert api.get("police", base).status_code == 403
    assert api.get("police", f"{base}/history").status_code == 403
    assert api.get("health", base).status_code == 200
    assert api.post("health", f"{base}/progress", {"note": "x"}).status_code == 200


def test_agency_staff_cannot_read_meetings_or_recommendations(api: Api) -> None:
    meeting_id = api.meeting()
    rec = api.recommendation()

    assert api.get("health", f"/meetings/{meeting_id}").status_code == 403
    assert api.get("health", f"/recommendations/{rec}/history").status_code == 403


def test_inspectors_read_everything_and_reporting_reads_no_aggregate(api: Api) -> None:
    meeting_id = api.meeting()
    rec = api.recommendation()
    action_id = api.action()

    for path in (f"/meetings/{meeting_id}", f"/recommendations/{rec}", f"/actions/{action_id}"):
        assert api.get("inspector", path).status_code == 200
        assert api.get("inspector", f"{path}/history").status_code == 200
        assert api.get("inspector", path, version=1).status_code == 200
        assert api.get("reporting", path).status_code == 403
        assert api.get("reporting", f"{path}/history").status_code == 403


def test_effective_dates_in_the_contract(api: Api) -> None:
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("AssignAction", "AgreeMeetingAction", "AgreeRecommendationAction"):
        assert "agreed_on" in schemas[name]["properties"], name
    for name in (
        "ReviseDueDate",
        "ReassignAction",
        "CancelAction",
        "ReopenAction",
        "ChangeRecommendationStatus",
        "CloseRecommendation",
        "ReopenRecommendation",
    ):
        assert "effective_on" in schemas[name]["properties"], name


def test_a_late_entry_carries_its_dates_and_the_rules_answer_plainly(api: Api) -> None:
    action_id = api.action("health")  # agreed on 2023-09-01, due 2023-09-30
    base = f"/actions/{action_id}"
    api.ok(
        "governance",
        f"{base}/due-date",
        {"due_on": "2023-10-31", "reason": "Leave", "effective_on": "2023-09-20"},
    )

    before = api.post("governance", f"{base}/cancel", {"reason": "x", "effective_on": "2023-08-31"})
    future = api.post("governance", f"{base}/cancel", {"reason": "x", "effective_on": "2999-01-01"})
    early_due = api.post("governance", f"{base}/due-date", {"due_on": "2023-08-01", "reason": "x"})

    assert before.status_code == 409
    assert before.json()["detail"] == (
        "effective on 2023-08-31 is before the action was agreed (2023-09-01)"
    )
    assert future.status_code == 422
    assert early_due.status_code == 409
    history = api.get("inspector", f"{base}/history").json()["events"]
    assert [(e["type"], e["effective"]) for e in history] == [
        ("AgencyAction.Assigned", "2023-09-01"),
        ("AgencyAction.DueDateRevised", "2023-09-20"),
    ]
    report = api.get("inspector", "/reports/overdue-actions", as_of="2023-10-01").json()
    assert report["rows"] == []  # due on 31 October by then
