"""Reading from the command line: demo, reports, history, audit log, projections, export."""

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from infrastructure.cli import main
from infrastructure.cli.demo import scenario_path
from infrastructure.presentation.reports import columns_of, csv_columns
from projections.models import OverdueAction
from tests.cli.conftest import Run, import_document, meeting_row

FAR_FUTURE = "2099-12-31"


@pytest.fixture
def seeded(run: Run, governance: str) -> str:
    """The seed audit imported; answers the governance token."""
    result = run("import", str(scenario_path()), "--json", token=governance)
    assert result.code == 0, result.err
    assert result.json()["events_written"] == 319
    return governance


@pytest.fixture
def reporting(seeded: str, add_user: Callable[..., dict[str, Any]]) -> str:
    return str(add_user("Rita", "reporting")["token"])


def events_of_type(run: Run, token: str, type: str) -> list[dict[str, Any]]:
    result = run("audit-log", "--type", type, "--limit", "1000", "--json", token=token)
    assert result.code == 0, result.err
    events: list[dict[str, Any]] = result.json()["events"]
    return events


def recommendation_one(run: Run, token: str) -> str:
    (raised,) = [
        e for e in events_of_type(run, token, "Recommendation.Raised") if e["data"]["number"] == 1
    ]
    return str(raised["aggregate_id"])


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# demo: SQLite only, so once.


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACTIONTRAIL_TOKEN", raising=False)
    return tmp_path


def test_demo_loads_the_seed_audit_and_says_how_to_serve_it(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = in_tmp / "demo.db"

    assert main(["demo", "--file", str(database)]) == 0

    out = capsys.readouterr().out
    assert f"Loaded the seed audit into {database}: 26 meetings, 5 recommendations." in out
    assert "319 events written." in out
    assert "10 assessed, 4 clear (40.0%), 6 lacking clarity (60.0%)" in out
    december = next(line for line in out.splitlines() if line.startswith("│ 2023-12"))
    assert "16 (100.0%) / 16" in december  # 16 meetings; social care and police at all
    assert "14 (87.5%) / 14" in december  # health invited to 14 and attended all 14
    assert "Meetings held 2023-12-01 to 2023-12-31: 16" in out
    assert "Start the server on this database:" in out
    assert f"ACTIONTRAIL_DATABASE_URL=sqlite:///{database} actiontrail serve" in out
    assert "curl -H 'Authorization: Bearer " in out

    # The file is a working database: its token reads the reports. A demo replaces its own.
    assert main(["demo", "--file", str(database), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["created"] == {"meetings": 26, "recommendations": 5}
    attendance = summary["reports"]["attendance"]["groups"]
    (dec,) = [g for g in attendance if g["period"] == "2023-12"]
    health = next(a for a in dec["agencies"] if a["agency"] == "health")
    assert (dec["meetings_held"], health["invited"], health["attended"]) == (16, 14, 14)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACTIONTRAIL_DATABASE_URL", summary["database_url"])
        code = main(
            [
                "report",
                "quality",
                "--audit-ref",
                "SM-AUDIT-2023",
                "--json",
                f"--token={summary['token']}",  # a token may start with "-"
            ]
        )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["assessed"] == 10


def test_the_demo_carries_the_seeds_dates(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = in_tmp / "demo.db"
    assert main(["demo", "--file", str(database), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    april = summary["reports"]["overdue_april_2024"]
    assert april["as_of"] == "2024-04-01"
    assert sorted(
        (r["agency"], r["agreed_on"], r["due_on"], r["days_overdue"]) for r in april["rows"]
    ) == [
        ("childrens-social-care", "2023-12-01", "2024-03-31", 1),
        ("childrens-social-care", "2023-12-01", "2024-03-31", 1),
        ("health", "2024-01-08", "2024-02-29", 32),
        ("police", "2023-12-01", "2024-03-31", 1),
        ("police", "2023-12-01", "2024-03-31", 1),
    ]

    def overdue_as_of(day: str) -> list[dict[str, object]]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("ACTIONTRAIL_DATABASE_URL", summary["database_url"])
            args = ["report", "overdue", "--as-of", day, "--json", f"--token={summary['token']}"]
            assert main(args) == 0
        rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)["rows"]
        return rows

    # On the day of the last response nothing had fallen due; the form went live on time.
    assert overdue_as_of("2024-01-08") == []
    assert len(overdue_as_of("2024-04-01")) == 5
    (status,) = summary["reports"]["responses"]["status_changes"]
    assert status["effective_on"] == "2024-01-08"


# Reports, on both stores.


def test_attendance_report_as_json_table_and_csv(run: Run, reporting: str) -> None:
    period = ("--from", "2023-12-01", "--to", "2023-12-31")

    result = run("report", "attendance", *period, "--json", token=reporting)

    assert result.code == 0, result.err
    (december,) = [g for g in result.json()["groups"] if g["meetings_held"]]
    assert december["period"] == "2023-12"
    assert december["meetings_held"] == 16
    agencies = {a["agency"]: a for a in december["agencies"]}
    assert agencies["health"]["invited"] == 14
    assert agencies["health"]["invited_pct"] == 87.5
    assert agencies["health"]["attended_pct_of_invited"] == 100.0
    assert agencies["police"]["attended"] == 16
    assert december["all_statutory_invited"] == 14

    table = run("report", "attendance", *period, token=reporting)
    assert table.code == 0
    assert "14 (87.5%) / 14" in table.out
    assert "16 (100.0%) / 16" in table.out

    rows = csv_rows(run("report", "attendance", *period, "--csv", token=reporting).out)
    health = next(r for r in rows if r["period"] == "2023-12" and r["agency"] == "health")
    assert health["invited"] == "14"
    assert health["meetings_held"] == "16"
    assert {"period", "agency", "invited_pct", "attended_pct_of_invited"} <= set(rows[0])


def test_timeliness_quality_and_responses_reports(run: Run, reporting: str) -> None:
    audit = ("--from", "2023-06-01", "--to", "2023-08-31")
    timeliness = run("report", "timeliness", *audit, "--json", token=reporting).json()
    assert timeliness["meetings_held"] == 10
    assert timeliness["held_within_standard"] == 9
    assert timeliness["records_shared_within_standard_pct"] == 80.0
    assert len(timeliness["rows"]) == 10
    assert (
        "held within 1 working day(s): 9 (90.0%)"
        in run("report", "timeliness", *audit, token=reporting).out
    )

    quality = run("report", "quality", "--audit-ref", "SM-AUDIT-2023", "--json", token=reporting)
    assert (quality.json()["assessed"], quality.json()["clear"]) == (10, 4)
    assert quality.json()["lacks_clarity"] == 6
    table = run("report", "quality", "--audit-ref", "SM-AUDIT-2023", token=reporting).out
    assert "10 assessed, 4 clear (40.0%), 6 lacking clarity (60.0%)" in table

    recommendation = recommendation_one(run, reporting)
    responses = run("report", "responses", recommendation, "--json", token=reporting).json()
    assert responses["number"] == 1
    assert [r["dated"] for r in responses["responses"]] == ["2024-01-08"]
    assert "14 cases" in responses["responses"][0]["text"]
    assert [(s["status"], s["rag"]) for s in responses["status_changes"]] == [
        ("in-progress", "amber")
    ]
    table = run("report", "responses", recommendation, token=reporting).out
    assert "Recommendation 1:" in table
    assert "in-progress (amber)" in table


def test_overdue_report_and_an_agency_user_sees_only_their_own(
    run: Run, reporting: str, add_user: Callable[..., dict[str, Any]]
) -> None:
    result = run("report", "overdue", "--as-of", FAR_FUTURE, "--json", token=reporting)

    assert result.code == 0, result.err
    rows = result.json()["rows"]
    assert len(rows) == 7
    assert {r["source_kind"] for r in rows} == {"recommendation"}
    health = [r for r in rows if r["agency"] == "health"]
    assert [r["due_on"] for r in health] == ["2024-02-29"]
    assert health[0]["days_overdue"] == 27699  # 2024-02-29 to 2099-12-31

    nurse = str(add_user("Nina", "agency", "health")["token"])
    own = run("report", "overdue", "--as-of", FAR_FUTURE, "--json", token=nurse).json()["rows"]
    assert [r["agency"] for r in own] == ["health"]

    table = run("report", "overdue", "--as-of", FAR_FUTURE, token=reporting).out
    assert f"Overdue actions as of {FAR_FUTURE}" in table
    assert "Reiterate the new process" in table
    rows_csv = csv_rows(
        run("report", "overdue", "--as-of", FAR_FUTURE, "--csv", token=reporting).out
    )
    assert len(rows_csv) == 7
    assert {"action_id", "due_on", "days_overdue", "working_days_overdue"} <= set(rows_csv[0])


# History, audit log, projections, export.


def imported_meeting(run: Run, token: str, write_json: Callable[..., Path]) -> str:
    path = write_json(import_document(meetings=[meeting_row("M1")]))
    assert run("import", str(path), token=token).code == 0
    (requested,) = events_of_type(run, token, "StrategyMeeting.Requested")
    return str(requested["aggregate_id"])


def test_history_now_at_a_version_and_as_recorded_at_a_time(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    meeting = imported_meeting(run, governance, write_json)

    now = run("history", meeting, "--json", token=governance)
    assert now.code == 0, now.err
    events = now.json()["events"]
    assert [e["version"] for e in events] == list(range(1, 10))
    assert now.json()["state"]["version"] == 9
    assert now.json()["state"]["status"] == "held"

    third = run("history", meeting, "--version", "3", "--json", token=governance).json()
    assert third["state"]["version"] == 3
    assert third["state"]["status"] == "requested"
    assert [i["agency"] for i in third["state"]["invited"]] == ["police", "health"]
    assert [e["version"] for e in third["events"]] == [1, 2, 3]

    at = events[4]["recorded_at"]
    then = run("history", meeting, "--at", at, "--json", token=governance).json()
    recorded_by_then = [
        e for e in events if datetime.fromisoformat(e["recorded_at"]) <= datetime.fromisoformat(at)
    ]
    assert then["state"]["version"] == len(recorded_by_then) >= 5
    assert then["events"] == recorded_by_then

    table = run("history", meeting, "--version", "2", token=governance)
    assert f"History of StrategyMeeting {meeting}" in table.out
    assert "State as known at version 2 (version 2):" in table.out
    assert "AgencyInvited" in table.out
    assert "Held" not in table.out  # held at version 4, after the cut

    before = run("history", meeting, "--at", "2000-01-01T00:00:00+00:00", token=governance)
    assert before.code == 5


def test_audit_log_filters_and_pages(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    meeting = imported_meeting(run, governance, write_json)

    everything = run("audit-log", "--json", token=governance).json()
    assert len(everything["events"]) == 11  # the meeting's 9, the action's 2
    assert [e["position"] for e in everything["events"]] == list(range(1, 12))

    mine = run("audit-log", "--aggregate-id", meeting, "--json", token=governance).json()
    assert {e["aggregate_id"] for e in mine["events"]} == {meeting}
    assert len(mine["events"]) == 9

    first = run("audit-log", "--limit", "5", "--json", token=governance).json()
    assert [e["position"] for e in first["events"]] == [1, 2, 3, 4, 5]
    rest = run("audit-log", "--after", str(first["next_after"]), "--json", token=governance)
    assert [e["position"] for e in rest.json()["events"]] == list(range(6, 12))

    completed = events_of_type(run, governance, "AgencyAction.Completed")
    assert [e["aggregate_type"] for e in completed] == ["AgencyAction"]

    table = run("audit-log", "--limit", "3", token=governance).out
    assert "Audit log (3 events; next page: --after 3)" in table
    assert "StrategyMeeting.Requested" in table


def test_projections_status_and_rebuild(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    imported_meeting(run, governance, write_json)
    run("audit-log", "--json", token=governance)  # reading catches the projections up

    status = run("projections", "status", "--json", token=governance)
    assert status.code == 0, status.err
    projections = {p["name"]: p for p in status.json()["projections"]}
    assert {"meetings", "audit_log", "overdue_actions", "record_quality"} <= set(projections)
    assert all(p["head"] == 11 for p in projections.values())
    assert all(p["position"] == 11 and p["lag"] == 0 for p in projections.values())

    rebuilt = run("projections", "rebuild", "record_quality", "--json")
    assert rebuilt.code == 0, rebuilt.err
    assert rebuilt.json() == {"rebuilt": ["record_quality"], "events": 11}
    quality = run("report", "quality", "--audit-ref", "AUDIT-T", "--json", token=governance)
    assert quality.json()["clear"] == 1

    everything = run("projections", "rebuild")
    assert everything.code == 0
    assert "from 11 events" in everything.out
    assert "audit_log" in run("projections", "status", token=governance).out

    unknown = run("projections", "rebuild", "no_such_projection")
    assert unknown.code == 2


def test_export_writes_each_read_model_as_csv(run: Run, seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "export"

    result = run(
        "export",
        "--dir",
        str(out),
        "--from",
        "2023-06-01",
        "--to",
        "2023-12-31",
        "--as-of",
        FAR_FUTURE,
        "--json",
        token=seeded,
    )

    assert result.code == 0, result.err
    files = result.json()["files"]
    assert files["overdue-actions.csv"] == 7
    assert files["audit-log.csv"] == 319
    assert files["record-quality.csv"] == 1
    assert files["meeting-timeliness.csv"] == 26
    assert sorted(p.name for p in out.iterdir()) == sorted(files)
    for name, count in files.items():
        assert len(csv_rows((out / name).read_text(encoding="utf-8"))) == count, name

    (quality,) = csv_rows((out / "record-quality.csv").read_text(encoding="utf-8"))
    assert (quality["audit_ref"], quality["assessed"], quality["clear"]) == (
        "SM-AUDIT-2023",
        "10",
        "4",
    )
    attendance = csv_rows((out / "attendance-compliance.csv").read_text(encoding="utf-8"))
    health = next(r for r in attendance if r["period"] == "2023-12" and r["agency"] == "health")
    assert health["invited"] == "14"
    overdue = csv_rows((out / "overdue-actions.csv").read_text(encoding="utf-8"))
    # as the API's CSV download
    assert list(overdue[0]) == csv_columns(columns_of(OverdueAction))
    assert {row["agency_name"] for row in overdue} >= {"Health", "Police"}


# Exit codes.


def test_exit_codes(
    run: Run, governance: str, write_json: Callable[..., Path], add_user: Callable[..., Any]
) -> None:
    meeting = imported_meeting(run, governance, write_json)
    reader = str(add_user("Rita", "reporting")["token"])

    # 4: no token, an unknown token, a role not allowed
    assert run("report", "quality", "--audit-ref", "AUDIT-T").code == 4
    assert "needs a token" in run("audit-log").err
    assert run("history", meeting, token="not-a-token").code == 4
    assert run("import", str(write_json(import_document())), token=reader).code == 4
    # 5: not found
    missing = run("history", str(uuid4()), token=governance)
    assert missing.code == 5
    assert "no meeting, recommendation or action" in missing.err
    assert run("report", "responses", str(uuid4()), token=governance).code == 5
    # 2: bad arguments
    bad_date = run("report", "overdue", "--as-of", "31/12/2023", token=governance)
    assert bad_date.code == 2
    assert "--as-of" in bad_date.err
    both = run("history", meeting, "--version", "1", "--at", "2023-12-04T10:30:00+00:00")
    assert both.code == 2
    reversed_period = ("--from", "2023-12-31", "--to", "2023-12-01")
    assert run("report", "attendance", *reversed_period, token=governance).code == 2


def test_exit_code_6_when_a_re_import_breaks_a_rule(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    """The file corrected after the meeting was recorded as cancelled: it cannot be held now."""
    cancelled = meeting_row(
        "M9",
        cancelled={"reason": "Threshold not met"},
        held=None,
        attendance=[],
        decisions=[],
        actions=[],
        record_shared=None,
        quality_assessments=[],
    )
    assert (
        run("import", str(write_json(import_document(meetings=[cancelled]))), token=governance).code
        == 0
    )
    corrected = meeting_row(
        "M9", attendance=[], decisions=[], actions=[], record_shared=None, quality_assessments=[]
    )

    result = run("import", str(write_json(import_document(meetings=[corrected]))), token=governance)

    assert result.code == 6, result.err
    assert "cancelled" in result.err.lower()
    (requested,) = events_of_type(run, governance, "StrategyMeeting.Requested")
    history = run("history", requested["aggregate_id"], "--json", token=governance).json()
    assert history["state"]["status"] == "cancelled"


def test_empty_reports_still_have_their_csv_header(
    run: Run, governance: str, tmp_path: Path
) -> None:
    out = tmp_path / "empty-export"
    assert run("export", "--dir", str(out), token=governance).code == 0
    headers = {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted(out.iterdir())}
    assert headers["overdue-actions.csv"][0].startswith("action_id,agency,")
    assert headers["audit-log.csv"][0].startswith("position,")
    row_free = {name: lines for name, lines in headers.items() if "attendance" not in name}
    assert {name: len(lines) for name, lines in row_free.items()} == dict.fromkeys(row_free, 1)

    overdue = run("report", "overdue", "--csv", token=governance)
    assert overdue.code == 0
    assert overdue.out.splitlines() == [headers["overdue-actions.csv"][0]]


def test_arguments_out_of_range_are_bad_arguments_not_tracebacks(run: Run, governance: str) -> None:
    timeliness = run("report", "timeliness", "--to", "0001-03-01", token=governance)
    after = run("audit-log", "--after", "99999999999999999999999", token=governance)
    known_at = run("report", "overdue", "--known-at", "0001-01-01T00:00+05:00", token=governance)

    assert (timeliness.code, after.code, known_at.code) == (2, 2, 2)
    assert "--to" in timeliness.err
    assert "1900" in timeliness.err
    assert "--after" in after.err
    assert "--known-at" in known_at.err
