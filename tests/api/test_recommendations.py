"""Recommendations over HTTP: responses, corrections, actions, assurance, status, closure."""

from tests.api.conftest import Api


def test_a_recommendation_answered_assured_and_closed(api: Api) -> None:
    rec = api.recommendation()
    base = f"/recommendations/{rec}"
    api.ok("governance", f"{base}/responses", {"text": "Health now invited", "dated": "2024-01-08"})
    api.ok(
        "governance",
        f"{base}/responses/1/corrections",
        {"text": "MASH nurses now invite health", "reason": "Typo in the board paper"},
    )
    action = api.ok(
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
        f"{base}/assurance",
        {
            "kind": "dip-sample",
            "dated": "2024-01-08",
            "sample_size": 16,
            "measures": [{"name": "health invited", "numerator": 14, "denominator": 16}],
            "summary": "Health invited to 14 of 16",
        },
    )
    api.ok("governance", f"{base}/status", {"status": "implemented", "rag": "green", "reason": "x"})
    refused = api.post("governance", f"{base}/close", {"evidence": "Dip sample", "reason": "Done"})
    api.ok(
        "governance",
        f"/actions/{action['id']}/complete",
        {"completed_on": "2024-02-01", "evidence": "Briefing sent"},
    )
    api.ok("governance", f"{base}/close", {"evidence": "Dip sample", "reason": "Done"})

    assert refused.status_code == 409
    assert refused.json()["title"] == "Recommendation cannot be closed"
    state = api.get("governance", base).json()
    assert (state["status"], state["rag"], state["number"]) == ("closed", "green", 1)
    assert state["text"] == "Invite health to every strategy meeting"
    assert state["actions"] == [action["id"]]
    (response,) = state["responses"]
    assert response["text"] == "MASH nurses now invite health"
    assert response["original_text"] == "Health now invited"
    assert response["dated"] == "2024-01-08"
    assert response["corrections"][0]["reason"] == "Typo in the board paper"
    assert state["assurances"][0]["measures"][0]["numerator"] == 14
    late = api.post("governance", f"{base}/responses", {"text": "x", "dated": "2024-01-09"})
    assert late.status_code == 409
    assert late.json()["title"] == "Recommendation closed"

    api.ok("governance", f"{base}/reopen", {"reason": "Re-audit found gaps"})
    assert api.get("governance", base).json()["status"] == "in-progress"


def test_closing_with_open_actions_needs_an_override(api: Api) -> None:
    rec = api.recommendation()
    base = f"/recommendations/{rec}"
    api.ok("governance", f"{base}/responses", {"text": "Agreed", "dated": "2023-12-01"})
    api.ok(
        "governance",
        f"{base}/actions",
        {
            "agency": "police",
            "description": "Brief officers",
            "due_on": "2024-03-31",
            "agreed_on": "2023-12-01",
        },
        201,
    )

    closed = api.ok(
        "governance",
        f"{base}/close",
        {"evidence": "Superseded", "reason": "Replaced by the 2024 audit", "override": True},
    )

    assert api.get("governance", base).json()["version"] == closed["version"]
    events = api.get("governance", f"{base}/history").json()["events"]
    assert events[-1]["data"]["override"] is True
    assert len(events[-1]["data"]["open_action_ids"]) == 1


def test_correcting_a_response_that_does_not_exist_is_409(api: Api) -> None:
    rec = api.recommendation()

    response = api.post(
        "governance",
        f"/recommendations/{rec}/responses/3/corrections",
        {"text": "x", "reason": "y"},
    )

    assert response.status_code == 409
    assert response.json()["title"] == "No such response"
    zero = api.post(
        "governance",
        f"/recommendations/{rec}/responses/0/corrections",
        {"text": "x", "reason": "y"},
    )
    assert zero.status_code == 422


def test_reopening_an_open_recommendation_is_409(api: Api) -> None:
    rec = api.recommendation()

    response = api.post("governance", f"/recommendations/{rec}/reopen", {"reason": "x"})

    assert response.status_code == 409


def test_blank_reason_is_422(api: Api) -> None:
    rec = api.recommendation()

    response = api.post(
        "governance", f"/recommendations/{rec}/status", {"status": "in-progress", "reason": " "}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


def test_measures_counting_more_than_the_sample_are_422(api: Api) -> None:
    rec = api.recommendation()

    response = api.post(
        "governance",
        f"/recommendations/{rec}/assurance",
        {
            "kind": "re-audit",
            "dated": "2024-01-08",
            "sample_size": 10,
            "measures": [{"name": "clear", "numerator": 12, "denominator": 16}],
            "summary": "x",
        },
    )

    assert response.status_code == 422
