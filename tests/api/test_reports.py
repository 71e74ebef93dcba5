"""Reports, the audit log, the event feed and projections over HTTP."""

import csv
import io

import pytest

from tests.api.conftest import Api

ID = "00000000-0000-4000-8000-000000000000"


def test_attendance_reflects_the_writes_just_answered(api: Api) -> None:
    meeting_id = api.meeting(agencies=("childrens-social-care", "police", "health"))
    for agency in ("childrens-social-care", "police"):
        api.ok(
            "governance", f"/meetings/{meeting_id}/attendance", {"agency": agency, "attended": True}
        )

    report = api.get(
        "reporting", "/reports/attendance-compliance", **{"from": "2023-06-01", "to": "2023-06-30"}
    ).json()

    (group,) = report["groups"]
    assert (group["period"], group["meetings_held"]) == ("2023-06", 1)
    agencies = {a["agency"]: a for a in group["agencies"]}
    assert agencies["health"]["invited"] == 1
    assert agencies["health"]["invited_pct"] == 100.0
    assert agencies["health"]["attended"] == 0
    assert agencies["police"]["attended_pct_of_invited"] == 100.0
    assert (group["all_statutory_invited"], group["all_statutory_attended"]) == (1, 0)


def test_overdue_actions_as_json_and_csv(api: Api) -> None:
    action_id = api.action("health")
    api.ok("governance", f"/actions/{action_id}/due-date", {"due_on": "2023-10-31", "reason": "x"})

    report = api.get("inspector", "/reports/overdue-actions").json()
    download = api.get("inspector", "/reports/overdue-actions", format="csv")

    (row,) = report["rows"]
    assert "as_of" in report
    assert (row["action_id"], row["agency"], row["revisions"]) == (action_id, "health", 1)
    assert (row["original_due_on"], row["due_on"]) == ("2023-09-30", "2023-10-31")
    assert (row["source_kind"], row["source_ref"]) == ("marac", "MARAC-2023-07")
    assert row["days_overdue"] > 0
    assert row["working_days_overdue"] > 0
    assert download.headers["content-type"].startswith("text/csv")
    (csv_row,) = list(csv.DictReader(io.StringIO(download.text)))
    assert set(row) <= set(csv_row)
    assert csv_row["action_id"] == action_id
    assert csv_row["days_overdue"] == str(row["days_overdue"])


def test_overdue_as_of_a_date_before_the_due_date_is_empty(api: Api) -> None:
    api.action()

    report = api.get("governance", "/reports/overdue-actions", as_of="2023-09-01").json()

    assert report["rows"] == []
    assert report["as_of"] == "2023-09-01"


def test_agency_staff_see_only_their_own_agencys_overdue_actions(api: Api) -> None:
    api.action("health")
    api.action("police")

    own = api.get("health", "/reports/overdue-actions").json()["rows"]
    other = api.get("health", "/reports/overdue-actions", agency="police")

    assert [r["agency"] for r in own] == ["health"]
    assert other.status_code == 403


def test_meeting_timeliness_and_record_quality(api: Api) -> None:
    meeting_id = api.meeting()
    api.ok(
        "governance",
        f"/meetings/{meeting_id}/record-shared",
        {"shared_at": "2023-06-20T12:00:00+01:00", "agencies": ["police"]},
    )
    api.ok(
        "governance",
        f"/meetings/{meeting_id}/quality-assessments",
        {"rating": "lacks-clarity", "audit_ref": "A-1"},
    )

    timeliness = api.get(
        "reporting", "/reports/meeting-timeliness", **{"from": "2023-06-01", "to": "2023-06-30"}
    ).json()
    quality = api.get("reporting", "/reports/record-quality", audit_ref="A-1").json()
    quality_csv = api.get("reporting", "/reports/record-quality", audit_ref="A-1", format="csv")

    assert (timeliness["meetings_held"], timeliness["held_within_standard"]) == (1, 1)
    assert timeliness["held_within_standard_pct"] == 100.0
    assert timeliness["records_shared_within_standard"] == 0
    (row,) = timeliness["rows"]
    assert (row["meeting_id"], row["working_days_to_meeting"]) == (meeting_id, 1)
    assert row["working_days_to_record_shared"] == 4
    assert (quality["assessed"], quality["clear"], quality["lacks_clarity"]) == (1, 0, 1)
    assert quality_csv.text.splitlines()[1].startswith("A-1,1,0,1")


def test_a_percentage_of_nothing_is_null(api: Api) -> None:
    timeliness = api.get(
        "reporting", "/reports/meeting-timeliness", **{"from": "2023-01-01", "to": "2023-01-31"}
    ).json()

    assert timeliness["meetings_held"] == 0
    assert timeliness["held_within_standard_pct"] is None


def test_response_history(api: Api) -> None:
    rec = api.recommendation()
    api.ok("governance", f"/recommendations/{rec}/responses", {"text": "A", "dated": "2023-12-01"})
    api.ok(
        "governance",
        f"/recommendations/{rec}/responses/1/corrections",
        {"text": "B", "reason": "r"},
    )
    api.ok(
        "governance",
        f"/recommendations/{rec}/status",
        {"status": "in-progress", "rag": "red", "reason": "x"},
    )

    history = api.get("inspector", f"/reports/response-history/{rec}").json()
    download = api.get("inspector", f"/reports/response-history/{rec}", format="csv")

    (response,) = history["responses"]
    assert (response["number"], response["text"], response["dated"]) == (1, "B", "2023-12-01")
    assert response["corrections"][0]["text"] == "B"
    assert response["recorded_at"]
    assert response["by"]
    (change,) = history["status_changes"]
    assert (change["status"], change["rag"], change["reason"]) == ("in-progress", "red", "x")
    assert "recorded_at" in change
    assert "by" in change
    assert download.text.startswith("number,text,")
    assert api.get("inspector", f"/reports/response-history/{ID}").status_code == 404


def test_audit_log_filters_and_pages(api: Api) -> None:
    meeting_id = api.meeting()
    action_id = api.action("police")

    everything = api.get("inspector", "/audit-log").json()["events"]
    of_action = api.get("inspector", "/audit-log", aggregate_id=action_id).json()["events"]
    held = api.get("inspector", "/audit-log", type="StrategyMeeting.Held").json()["events"]
    police = api.get("inspector", "/audit-log", agency="police").json()["events"]
    page = api.get("inspector", "/audit-log", limit=2).json()
    rest = api.get("inspector", "/audit-log", after=page["next_after"]).json()["events"]

    assert len(everything) == 5
    assert [e["position"] for e in everything] == sorted(e["position"] for e in everything)
    assert [e["aggregate_type"] for e in of_action] == ["AgencyAction"]
    assert [e["aggregate_id"] for e in held] == [meeting_id]
    assert {e["aggregate_id"] for e in police} == {meeting_id, action_id}
    assert len(page["events"]) == 2
    assert len(rest) == 3
    bad = api.get("inspector", "/audit-log", **{"from": "last week"})
    assert bad.status_code == 422


def test_event_feed_pages_through_the_global_log(api: Api) -> None:
    api.meeting()

    first = api.get("reporting", "/events", limit=3).json()
    second = api.get("reporting", "/events", after=first["next_after"]).json()
    end = api.get("reporting", "/events", after=second["next_after"]).json()

    assert [e["position"] for e in first["events"]] == [1, 2, 3]
    assert first["next_after"] == 3
    assert [e["position"] for e in second["events"]] == [4]
    assert end == {"events": [], "next_after": 4}
    assert first["events"][0]["aggregate_type"] == "StrategyMeeting"


def test_projections_report_position_head_and_lag(api: Api) -> None:
    api.meeting()
    api.get("reporting", "/reports/overdue-actions")

    projections = api.get("reporting", "/projections").json()["projections"]

    assert projections
    for projection in projections:
        assert set(projection) >= {"name", "position", "head", "lag"}
        assert projection["head"] == 4


@pytest.mark.parametrize("store", ["sqlite"])
def test_agency_staff_read_no_other_report_nor_the_feeds(api: Api) -> None:
    for path in (
        "/reports/attendance-compliance",
        "/reports/meeting-timeliness",
        "/reports/record-quality?audit_ref=A",
        f"/reports/response-history/{ID}",
        "/audit-log",
        "/events",
        "/projections",
    ):
        assert api.get("health", path).status_code == 403, path


@pytest.mark.parametrize("store", ["sqlite"])
def test_bad_report_queries_are_422(api: Api) -> None:
    assert api.get("reporting", "/reports/overdue-actions", as_of="31/10/2023").status_code == 422
    assert api.get("reporting", "/reports/overdue-actions", known_at="soon").status_code == 422
    assert api.get("reporting", "/reports/record-quality").status_code == 422
    grouped = api.get("reporting", "/reports/attendance-compliance", group_by="week")
    assert grouped.status_code == 422
    assert grouped.json()["errors"][0]["field"] == "group_by"
    assert api.get("reporting", "/events", limit=0).status_code == 422


def test_a_completion_dated_before_a_revision_entered_earlier_counts_from_its_date(
    api: Api,
) -> None:
    # The case: assigned 2 Oct due 10 Oct; revised on 12 Oct to 31 Oct; completion
    # entered later, dated 9 Oct. As of 11 Oct it was done, not 1 day overdue.
    action_id = api.ok(
        "governance",
        "/actions",
        {
            "source": {"kind": "marac", "ref": "MARAC-2023-10"},
            "agency": "health",
            "description": "Flag",
            "due_on": "2023-10-10",
            "agreed_on": "2023-10-02",
        },
        201,
    )["id"]
    base = f"/actions/{action_id}"
    api.ok(
        "governance",
        f"{base}/due-date",
        {"due_on": "2023-10-31", "reason": "Leave", "effective_on": "2023-10-12"},
    )
    before = api.get("inspector", "/reports/overdue-actions", as_of="2023-10-11").json()
    api.ok("governance", f"{base}/complete", {"completed_on": "2023-10-09", "evidence": "Done"})

    after = api.get("inspector", "/reports/overdue-actions", as_of="2023-10-11").json()

    assert [(r["action_id"], r["agreed_on"], r["days_overdue"]) for r in before["rows"]] == [
        (action_id, "2023-10-02", 1)
    ]
    assert after["rows"] == []
    assert api.get("inspector", base).json()["agreed_on"] == "2023-10-02"
