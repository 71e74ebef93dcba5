"""Strategy meetings over HTTP: every command, state, time travel, history and errors.

Cases that are refused whole share a store (``shared_api``): they write nothing another case
could see. Every other case gets a store of its own (``api``)."""

from tests.api.conftest import HELD_AT, Api


def test_a_meeting_from_request_to_quality_assessment(api: Api) -> None:
    meeting_id = api.meeting(agencies=("childrens-social-care", "police", "health"))
    base = f"/meetings/{meeting_id}"

    api.ok("governance", f"{base}/attendance", {"agency": "police", "attended": True})
    api.ok(
        "governance",
        f"{base}/attendance",
        {"agency": "health", "role": "mash-nurse", "attended": False, "note": "apologies"},
    )
    api.ok("governance", f"{base}/decisions", {"decision": "section-47", "rationale": "Injury"})
    action = api.ok(
        "governance",
        f"{base}/actions",
        {
            "agency": "health",
            "description": "Share chronology",
            "due_on": "2023-06-20",
            "agreed_on": "2023-06-14",
        },
        201,
    )
    api.ok(
        "governance",
        f"{base}/record-shared",
        {"shared_at": "2023-06-15T16:00:00+01:00", "agencies": ["police", "health"]},
    )
    last = api.ok(
        "governance",
        f"{base}/quality-assessments",
        {"rating": "lacks-clarity", "audit_ref": "SM-AUDIT-2023", "notes": "No analysis"},
    )

    state = api.get("governance", base).json()
    assert state["id"] == meeting_id
    assert state["version"] == last["version"] == 11
    assert state["status"] == "held"
    assert state["case_ref"] == "CASE-1"
    assert state["held_at"] == "2023-06-14T09:00:00Z"
    assert state["record_shared_at"] == "2023-06-15T15:00:00Z"
    assert [i["agency"] for i in state["invited"]] == ["childrens-social-care", "police", "health"]
    assert state["attendance"][1] == {
        "agency": "health",
        "role": "mash-nurse",
        "attended": False,
        "note": "apologies",
    }
    assert state["decisions"] == [{"decision": "section-47", "rationale": "Injury"}]
    assert state["actions"] == [action["id"]]
    assert api.get("governance", f"/actions/{action['id']}").json()["source"] == {
        "kind": "strategy-meeting",
        "ref": meeting_id,
        "title": None,
        "label": "CASE-1 meeting of 14 June 2023",
        "id": meeting_id,
        "href": f"/meetings/{meeting_id}",
    }


def test_reschedule_and_cancel(api: Api) -> None:
    meeting_id = api.meeting(held=False)
    api.ok(
        "governance",
        f"/meetings/{meeting_id}/reschedule",
        {"scheduled_for": "2023-06-15T10:00:00+01:00", "reason": "Police unavailable"},
    )
    api.ok("governance", f"/meetings/{meeting_id}/cancel", {"reason": "Threshold not met"})

    state = api.get("governance", f"/meetings/{meeting_id}").json()
    assert state["status"] == "cancelled"
    refused = api.post(
        "governance", f"/meetings/{meeting_id}/held", {"held_at": HELD_AT, "format": "phone"}
    )
    assert refused.status_code == 409
    assert refused.json()["title"] == "Meeting cancelled"


def test_state_at_a_version_and_as_recorded_at_a_time(api: Api) -> None:
    meeting_id = api.meeting(held=False, agencies=("police",))
    history = api.get("governance", f"/meetings/{meeting_id}/history").json()["events"]
    first_recorded = history[0]["recorded_at"]
    api.ok("governance", f"/meetings/{meeting_id}/invitations", {"agency": "health"})

    at_version = api.get("governance", f"/meetings/{meeting_id}", version=1).json()
    as_recorded = api.get("governance", f"/meetings/{meeting_id}", at=first_recorded).json()
    now = api.get("governance", f"/meetings/{meeting_id}").json()

    assert (at_version["version"], at_version["invited"]) == (1, [])
    assert as_recorded["version"] == 1
    assert now["version"] == 3
    assert api.get("governance", f"/meetings/{meeting_id}", version=9).status_code == 404
    before = api.get("governance", f"/meetings/{meeting_id}", at="2020-01-01T00:00:00+00:00")
    assert before.status_code == 404
    both = api.get("governance", f"/meetings/{meeting_id}", version=1, at=first_recorded)
    assert both.status_code == 422
    assert api.get("governance", f"/meetings/{meeting_id}", at="yesterday").status_code == 422


def test_history_says_who_did_what_and_when(api: Api) -> None:
    meeting_id = api.meeting()

    events = api.get("inspector", f"/meetings/{meeting_id}/history").json()["events"]

    assert [e["type"] for e in events] == [
        "StrategyMeeting.Requested",
        "StrategyMeeting.AgencyInvited",
        "StrategyMeeting.AgencyInvited",
        "StrategyMeeting.Held",
    ]
    assert [e["version"] for e in events] == [1, 2, 3, 4]
    assert events[0]["position"] < events[-1]["position"]
    held = events[-1]
    assert held["actor"]["role"] == "governance"
    assert held["effective"] == "2023-06-14T09:00:00Z"
    assert held["data"] == {"held_at": "2023-06-14T09:00:00+00:00", "format": "virtual"}
    assert held["command_id"]
    assert held["recorded_at"]


def test_every_write_records_the_authenticated_user(api: Api) -> None:
    added = api.ok("governance", "/users", {"name": "Eve", "role": "governance"}, 201)
    meeting_id = api.meeting(held=False, agencies=())
    api.client.post(
        f"/meetings/{meeting_id}/invitations",
        json={"agency": "police"},
        headers={"Authorization": f"Bearer {added['token']}"},
    )

    events = api.get("governance", f"/meetings/{meeting_id}/history").json()["events"]

    assert events[-1]["actor"]["user"] == added["user"]
    assert events[0]["actor"]["user"] != added["user"]


def test_a_second_invitation_of_the_same_agency_and_role_is_409_and_writes_nothing(
    api: Api,
) -> None:
    meeting_id = api.meeting(held=False, agencies=("police",))
    path = f"/meetings/{meeting_id}/invitations"
    api.ok("governance", path, {"agency": "health", "role": "gp"})
    head = api.client.get("/health").json()["head"]

    police = api.post("governance", path, {"agency": "police"})
    gp = api.post("governance", path, {"agency": "health", "role": "gp"})

    assert (police.status_code, gp.status_code) == (409, 409)
    assert police.json()["title"] == "Agency already invited"
    assert police.json()["detail"] == "police is already invited to this meeting"
    assert api.client.get("/health").json()["head"] == head
    invited = api.get("governance", f"/meetings/{meeting_id}").json()["invited"]
    assert [i["agency"] for i in invited] == ["police", "health"]
    api.ok("governance", path, {"agency": "health", "role": "midwife"})


def test_unknown_and_malformed_ids_are_404(shared_api: Api) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert shared_api.get("governance", f"/meetings/{unknown}").status_code == 404
    assert shared_api.get("governance", f"/meetings/{unknown}/history").status_code == 404
    assert shared_api.get("governance", "/meetings/not-an-id").status_code == 404
    response = shared_api.post("governance", f"/meetings/{unknown}/cancel", {"reason": "x"})
    assert response.status_code == 404
    assert unknown in response.json()["detail"]


def test_an_action_id_is_not_a_meeting(api: Api) -> None:
    action_id = api.action()

    assert api.get("governance", f"/meetings/{action_id}").status_code == 404


def test_attendance_before_the_meeting_is_held_is_409(api: Api) -> None:
    meeting_id = api.meeting(held=False)

    response = api.post(
        "governance", f"/meetings/{meeting_id}/attendance", {"agency": "police", "attended": True}
    )

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "attendance can only be recorded after the meeting is held"


def test_attendance_of_an_uninvited_agency_is_409(api: Api) -> None:
    meeting_id = api.meeting(agencies=("police",))

    response = api.post(
        "governance", f"/meetings/{meeting_id}/attendance", {"agency": "health", "attended": True}
    )

    assert response.status_code == 409
    assert "record the invitation first" in response.json()["detail"]


def test_invalid_body_is_422_naming_each_field(shared_api: Api) -> None:
    response = shared_api.post(
        "governance",
        "/meetings",
        {"case_ref": "C", "concern_raised_at": "2023-06-13T09:30:00", "kind": "urgent"},
    )

    assert response.status_code == 422
    problem = response.json()
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert set(fields) == {"concern_raised_at", "kind", "team"}
    assert fields["team"] == "is required"
    assert "no UTC offset" in fields["concern_raised_at"]
    assert "child-protection" in fields["kind"]
    assert "team: is required" in problem["detail"]


def test_unknown_fields_and_unknown_codes_are_422(api: Api) -> None:
    meeting_id = api.meeting(held=False)

    extra = api.post(
        "governance", f"/meetings/{meeting_id}/invitations", {"agency": "police", "x": 1}
    )
    unknown = api.post("governance", f"/meetings/{meeting_id}/invitations", {"agency": "fire"})

    assert extra.status_code == 422
    assert extra.json()["errors"] == [{"field": "x", "message": "is not a field of this request"}]
    assert unknown.status_code == 422
    assert unknown.json()["title"] == "Unknown code"


def test_a_date_in_the_future_is_422(api: Api) -> None:
    meeting_id = api.meeting(held=False)

    response = api.post(
        "governance",
        f"/meetings/{meeting_id}/held",
        {"held_at": "2099-01-01T10:00:00+00:00", "format": "virtual"},
    )

    assert response.status_code == 422
    assert response.json()["title"] == "Date in the future"


def test_expected_version_that_moved_on_is_409_with_the_current_version(api: Api) -> None:
    meeting_id = api.meeting(held=False, agencies=("police",))

    stale = api.post(
        "governance",
        f"/meetings/{meeting_id}/invitations",
        {"agency": "health", "expected_version": 1},
    )
    fresh = api.post(
        "governance",
        f"/meetings/{meeting_id}/invitations",
        {"agency": "health", "expected_version": 2},
    )

    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert stale.json()["title"] == "Version conflict"
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 3


def test_same_idempotency_key_returns_the_first_answer_and_writes_nothing(api: Api) -> None:
    body = {
        "case_ref": "CASE-9",
        "concern_raised_at": "2023-06-13T09:30:00+01:00",
        "kind": "missing",
        "team": "Exploitation and Missing",
    }
    first = api.post("governance", "/meetings", body, **{"Idempotency-Key": "req-1"})
    again = api.post("governance", "/meetings", body, **{"Idempotency-Key": "req-1"})
    head = api.client.get("/health").json()["head"]
    invite = {"agency": "police"}
    path = f"/meetings/{first.json()['id']}/invitations"
    one = api.post("governance", path, invite, **{"Idempotency-Key": "req-2"})
    two = api.post("governance", path, invite, **{"Idempotency-Key": "req-2"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert head == 1
    assert one.json() == two.json()
    assert api.client.get("/health").json()["head"] == 2


def test_an_idempotency_key_is_bound_to_the_request_it_first_ran(api: Api) -> None:
    body = {
        "case_ref": "CASE-10",
        "concern_raised_at": "2023-06-13T09:30:00+01:00",
        "kind": "missing",
        "team": "North",
    }
    first = api.post("governance", "/meetings", body, **{"Idempotency-Key": "bound"})
    head = api.client.get("/health").json()["head"]
    other_body = api.post(
        "governance", "/meetings", {**body, "team": "South"}, **{"Idempotency-Key": "bound"}
    )
    recommendation = {
        "source": {"kind": "audit", "ref": "A-1", "title": "Audit"},
        "number": 1,
        "text": "Do better",
        "raised_on": "2023-11-01",
    }
    other_path = api.post(
        "governance", "/recommendations", recommendation, **{"Idempotency-Key": "bound"}
    )

    assert first.status_code == 201
    for refused in (other_body, other_path):
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "bound" in refused.json()["detail"]
    assert api.client.get("/health").json()["head"] == head
