"""Every CSV export is one a spreadsheet reads: no JSON in any cell (docs/api.md, CSV)."""

import csv
import io
import json

from infrastructure.presentation.reports import AUDIT_LOG
from projections.models import LogPage
from tests.api.conftest import Api
from tests.api.console import Console
from tests.api.test_console_pages import page
from tests.api.test_labels_and_access import agree_on_recommendation


def cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def json_cells(text: str) -> list[str]:
    """The cells that a JSON parser reads as an object or a list."""
    found = []
    for row in cells(text):
        for value in row.values():
            try:
                parsed = json.loads(value)
            except (ValueError, TypeError):
                continue
            if isinstance(parsed, dict | list):
                found.append(value)
    return found


def records(api: Api) -> tuple[str, str, str]:
    meeting = api.meeting()
    base = f"/meetings/{meeting}"
    api.ok("governance", f"{base}/attendance", {"agency": "police", "attended": True, "note": "x"})
    api.ok("governance", f"{base}/decisions", {"decision": "section-47", "rationale": "Injury"})
    share = {"shared_at": "2023-06-15T10:00:00+01:00", "agencies": ["police", "health"]}
    api.ok("governance", f"{base}/record-shared", share)
    api.ok("governance", f"{base}/quality-assessments", {"rating": "clear", "audit_ref": "A"})
    rec = api.recommendation()
    api.ok(
        "governance", f"/recommendations/{rec}/responses", {"text": "Agreed", "dated": "2023-12-01"}
    )
    api.ok(
        "governance",
        f"/recommendations/{rec}/responses/1/corrections",
        {"text": "Agreed in full", "reason": "Typo"},
    )
    assurance = {
        "kind": "dip-sample",
        "dated": "2024-01-08",
        "sample_size": 16,
        "measures": [{"name": "health invited", "numerator": 14, "denominator": 16}],
        "summary": "Better",
    }
    api.ok("governance", f"/recommendations/{rec}/assurance", assurance)
    action = agree_on_recommendation(api, rec, "health")
    api.ok("health", f"/actions/{action}/progress", {"note": "Started"})
    api.ok("health", f"/actions/{action}/due-date", {"due_on": "2024-01-31", "reason": "Leave"})
    api.ok("governance", f"/actions/{action}/due-date", {"due_on": "2024-01-15", "reason": "Set"})
    late = api.action("police")
    api.ok(
        "governance", f"/actions/{late}/complete", {"completed_on": "2023-10-05", "evidence": "x"}
    )
    return meeting, rec, action


def test_no_csv_of_the_api_or_the_console_holds_json(api: Api) -> None:
    console = Console(api)
    meeting, rec, action = records(api)
    period = {"from": "2023-06-01", "to": "2024-12-31"}
    downloads = {
        "meetings": api.get("governance", "/meetings", format="csv").text,
        "recommendations": api.get("governance", "/recommendations", format="csv").text,
        "actions": api.get("governance", "/actions", format="csv").text,
        "queue": api.get("governance", "/queue", format="csv").text,
        "overdue": api.get("governance", "/reports/overdue-actions", format="csv").text,
        "late": api.get("governance", "/reports/completed-late", format="csv", **period).text,
        "attendance": api.get(
            "governance", "/reports/attendance-compliance", format="csv", **period
        ).text,
        "timeliness": api.get(
            "governance", "/reports/meeting-timeliness", format="csv", **period
        ).text,
        "quality": api.get(
            "governance", "/reports/record-quality", format="csv", audit_ref="A"
        ).text,
        "responses": api.get("governance", f"/reports/response-history/{rec}", format="csv").text,
        "console actions": page(console, "governance", "/console/actions.csv").text,
        "console meetings": page(console, "governance", "/console/meetings.csv").text,
        "console recommendations": page(console, "governance", "/console/recommendations.csv").text,
        "console queue": page(console, "governance", "/console/queue.csv").text,
    }
    for name, text in downloads.items():
        assert cells(text), f"{name}: no rows"
        assert json_cells(text) == [], name

    item = next(r for r in cells(downloads["actions"]) if r["id"] == action)
    assert (item["source_kind"], item["source_label"], item["source_id"]) == (
        "recommendation",
        "SM-AUDIT-2023 recommendation 1",
        rec,
    )
    assert item["source_href"] == f"/recommendations/{rec}"
    assert item["progress_notes"] == "Started"
    assert item["due_date_revisions"].startswith("due_on: 2024-01-15, reason: Set, effective_on: ")
    assert "status: pending" in item["proposed_due_dates"]
    (m,) = cells(downloads["meetings"])
    assert m["record_shared_with"] == "health; police"
    assert m["invited"] == "agency: police; agency: health"
    assert m["actions"] == ""
    (r,) = cells(downloads["recommendations"])
    assert r["source_ref"] == "SM-AUDIT-2023"
    assert "measures: [name: health invited, numerator: 14, denominator: 16]" in r["assurances"]
    (response,) = cells(downloads["responses"])
    assert response["corrections"].startswith("text: Agreed in full, reason: Typo, recorded_at: ")
    assert meeting in downloads["meetings"]


def test_the_audit_logs_csv_spreads_the_actor_and_writes_data_as_text(api: Api) -> None:
    records(api)
    page_ = api.get("inspector", "/audit-log", limit=1000).json()
    text = AUDIT_LOG.csv(LogPage.model_validate(page_))
    assert json_cells(text) == []
    header = text.splitlines()[0].split(",")
    assert {"actor_user", "actor_name", "actor_role", "actor_agency", "aggregate_label"} <= set(
        header
    )
    shared = next(r for r in cells(text) if r["type"] == "StrategyMeeting.RecordShared")
    assert shared["data"].startswith(
        "shared_at: 2023-06-15T09:00:00+00:00; agencies: [health, police]"
    )
    assert shared["actor_name"] == "governance"
