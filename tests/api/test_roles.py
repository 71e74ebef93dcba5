"""The handbook's role table, on every command path of the contract."""

import pytest

from tests.api.conftest import Api

ID = "00000000-0000-4000-8000-000000000000"
COMMAND_PATHS = [
    "/meetings",
    f"/meetings/{ID}/invitations",
    f"/meetings/{ID}/reschedule",
    f"/meetings/{ID}/cancel",
    f"/meetings/{ID}/held",
    f"/meetings/{ID}/attendance",
    f"/meetings/{ID}/decisions",
    f"/meetings/{ID}/actions",
    f"/meetings/{ID}/record-shared",
    f"/meetings/{ID}/quality-assessments",
    "/recommendations",
    f"/recommendations/{ID}/responses",
    f"/recommendations/{ID}/responses/1/corrections",
    f"/recommendations/{ID}/actions",
    f"/recommendations/{ID}/assurance",
    f"/recommendations/{ID}/status",
    f"/recommendations/{ID}/close",
    f"/recommendations/{ID}/reopen",
    "/actions",
    f"/actions/{ID}/progress",
    f"/actions/{ID}/due-date",
    f"/actions/{ID}/reassign",
    f"/actions/{ID}/complete",
    f"/actions/{ID}/cancel",
    f"/actions/{ID}/reopen",
    "/users",
]
AGENCY_PATHS = {f"/actions/{ID}/progress", f"/actions/{ID}/due-date", f"/actions/{ID}/complete"}


@pytest.mark.parametrize("store", ["sqlite"])
def test_readers_change_nothing(api: Api) -> None:
    for who in ("inspector", "reporting"):
        for path in COMMAND_PATHS:
            response = api.post(who, path, {})
            assert response.status_code == 403, (who, path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    assert api.client.get("/health").json()["head"] == 0


@pytest.mark.parametrize("store", ["sqlite"])
def test_agency_staff_change_only_progress_completion_and_due_dates(api: Api) -> None:
    for path in COMMAND_PATHS:
        status = api.post("health", path, {}).status_code
        if path in AGENCY_PATHS:
            assert status == 422, path  # allowed by role; the empty body is then invalid
        else:
            assert status == 403, path


@pytest.mark.parametrize("store", ["sqlite"])
def test_no_token_is_401_on_every_path(api: Api) -> None:
    for path in COMMAND_PATHS:
        assert api.post("nobody", path, {}).status_code == 401, path
    for path in (
        f"/meetings/{ID}",
        f"/actions/{ID}/history",
        "/reports/overdue-actions",
        "/reports/attendance-compliance",
        "/reports/meeting-timeliness",
        "/reports/record-quality?audit_ref=A",
        f"/reports/response-history/{ID}",
        "/audit-log",
        "/events",
        "/projections",
        "/users",
    ):
        assert api.get("nobody", path).status_code == 401, path


def test_agency_staff_complete_their_own_action(api: Api) -> None:
    action_id = api.action("police")

    response = api.post(
        "police", f"/actions/{action_id}/complete", {"completed_on": "2023-09-01", "evidence": "x"}
    )
    foreign = api.post(
        "health", f"/actions/{action_id}/complete", {"completed_on": "2023-09-01", "evidence": "x"}
    )

    assert response.status_code == 200
    assert foreign.status_code == 403
    history = api.get("governance", f"/actions/{action_id}/history").json()["events"]
    assert history[-1]["actor"] == {
        "user": history[-1]["actor"]["user"],
        "name": "police",
        "role": "agency",
        "agency": "police",
    }
