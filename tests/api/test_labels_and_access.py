"""Human references beside ids, names beside user ids, and what agency staff may read of the
recommendations and meetings their actions come from."""

from tests.api.conftest import Api


def agree_on_recommendation(api: Api, rec: str, agency: str, due_on: str = "2023-12-31") -> str:
    body = {
        "agency": agency,
        "description": "Brief staff",
        "due_on": due_on,
        "agreed_on": "2023-12-01",
    }
    return str(api.ok("governance", f"/recommendations/{rec}/actions", body, 201)["id"])


def agree_at_meeting(api: Api, meeting: str, agency: str = "police") -> str:
    body = {"agency": agency, "description": "Visit jointly", "due_on": "2023-06-20"}
    return str(
        api.ok(
            "governance", f"/meetings/{meeting}/actions", {**body, "agreed_on": "2023-06-14"}, 201
        )["id"]
    )


def test_an_actions_source_reads_as_a_reference_with_a_link_everywhere(api: Api) -> None:
    rec = api.recommendation(1)
    from_rec = agree_on_recommendation(api, rec, "health", due_on="2023-12-10")
    meeting = api.meeting()
    from_meeting = agree_at_meeting(api, meeting)

    source = api.get("health", f"/actions/{from_rec}").json()["source"]
    assert source == {
        "kind": "recommendation",
        "ref": rec,
        "title": None,
        "label": "SM-AUDIT-2023 recommendation 1",
        "id": rec,
        "href": f"/recommendations/{rec}",
    }
    source = api.get("governance", f"/actions/{from_meeting}").json()["source"]
    assert (source["label"], source["href"]) == (
        "CASE-1 meeting of 14 June 2023",
        f"/meetings/{meeting}",
    )
    from_marac = api.action()
    marac = api.get("governance", f"/actions/{from_marac}").json()["source"]
    assert (marac["label"], marac["id"], marac["href"]) == ("MARAC-2023-07", None, None)

    items = api.get("governance", "/actions").json()["items"]
    assert [i["source"]["label"] for i in items] == [  # oldest agreed first
        "CASE-1 meeting of 14 June 2023",
        "MARAC-2023-07",
        "SM-AUDIT-2023 recommendation 1",
    ]
    overdue = api.get("governance", "/reports/overdue-actions", as_of="2024-01-02").json()["rows"]
    assert [(r["action_id"], r["source_label"]) for r in overdue] == [
        (from_meeting, "CASE-1 meeting of 14 June 2023"),
        (from_marac, "MARAC-2023-07"),
        (from_rec, "SM-AUDIT-2023 recommendation 1"),
    ]
    header = api.get("governance", "/reports/overdue-actions", as_of="2024-01-02", format="csv")
    assert "source_label" in header.text.splitlines()[0].split(",")
    assert "SM-AUDIT-2023 recommendation 1" in header.text


def test_the_audit_log_and_history_label_each_aggregate(api: Api) -> None:
    rec = api.recommendation(2)
    action = agree_on_recommendation(api, rec, "police")
    meeting = api.meeting(held=False)

    events = api.get("inspector", "/audit-log").json()["events"]
    labels = {e["aggregate_id"]: e["aggregate_label"] for e in events}
    assert labels[rec] == "SM-AUDIT-2023 recommendation 2"
    assert labels[action] == "SM-AUDIT-2023 recommendation 2 action: Brief staff"
    assert labels[meeting] == "CASE-1 meeting requested 13 June 2023"
    history = api.get("governance", f"/actions/{action}/history").json()["events"]
    assert {e["aggregate_label"] for e in history} == {labels[action]}
    assert all(
        e.get("aggregate_label") is None for e in api.get("reporting", "/events").json()["events"]
    )


def test_names_beside_every_user_id(api: Api) -> None:
    meeting = api.meeting()
    api.ok(
        "governance",
        f"/meetings/{meeting}/quality-assessments",
        {"rating": "clear", "audit_ref": "A"},
    )
    action = api.action("health")
    api.ok("governance", f"/actions/{action}/due-date", {"due_on": "2023-10-31", "reason": "Leave"})

    (assessment,) = api.get("inspector", f"/meetings/{meeting}").json()["quality_assessments"]
    assert assessment["assessed_by_name"] == "governance"
    (revision,) = api.get("inspector", f"/actions/{action}").json()["due_date_revisions"]
    assert revision["by_name"] == "governance"


def test_the_timeliness_report_and_its_csv_carry_the_case_reference(api: Api) -> None:
    api.meeting()
    report = api.get(
        "governance", "/reports/meeting-timeliness", **{"from": "2023-06-01", "to": "2023-06-30"}
    )
    (row,) = report.json()["rows"]
    assert row["case_ref"] == "CASE-1"
    text = api.get(
        "governance",
        "/reports/meeting-timeliness",
        format="csv",
        **{"from": "2023-06-01", "to": "2023-06-30"},
    ).text
    assert text.splitlines()[0].split(",")[:2] == ["meeting_id", "case_ref"]
    assert ",CASE-1," in text.splitlines()[1]


def test_agency_staff_read_the_recommendation_and_meeting_their_actions_come_from_only(
    api: Api,
) -> None:
    rec = api.recommendation(1)
    health_action = agree_on_recommendation(api, rec, "health")
    agree_on_recommendation(api, rec, "police")
    other_rec = api.recommendation(2)
    meeting = api.meeting()
    api.ok(
        "governance",
        f"/meetings/{meeting}/decisions",
        {"decision": "section-47", "rationale": "Injury"},
    )
    api.ok(
        "governance",
        f"/meetings/{meeting}/attendance",
        {"agency": "police", "attended": True, "note": "Officer named"},
    )
    api.ok(
        "governance",
        f"/meetings/{meeting}/quality-assessments",
        {"rating": "clear", "audit_ref": "A"},
    )
    meeting_action = agree_at_meeting(api, meeting, "health")
    agree_at_meeting(api, meeting, "police")

    state = api.get("health", f"/recommendations/{rec}")
    assert state.status_code == 200
    assert state.json()["actions"] == [health_action]
    assert state.json()["text"] == "Invite health to every strategy meeting"
    assert api.get("health", f"/recommendations/{other_rec}").status_code == 403
    assert api.get("health", f"/recommendations/{rec}/history").status_code == 403
    assert api.get("health", f"/reports/response-history/{rec}").status_code == 403
    assert api.get("health", "/recommendations").status_code == 403

    summary = api.get("health", f"/meetings/{meeting}").json()
    assert summary["actions"] == [meeting_action]
    assert summary["decisions"] == [{"decision": "section-47", "rationale": None}]
    assert [a["note"] for a in summary["attendance"]] == [None]
    assert summary["quality_assessments"] == []
    assert api.get("health", f"/meetings/{meeting}/history").status_code == 403
    full = api.get("governance", f"/meetings/{meeting}").json()
    assert full["decisions"][0]["rationale"] == "Injury"
    assert len(full["actions"]) == 2

    lone = api.meeting()
    assert api.get("police", f"/meetings/{lone}").status_code == 403
    refused = api.get("reporting", f"/recommendations/{rec}")
    assert refused.status_code == 403
