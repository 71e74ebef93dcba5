"""``actiontrail import``: validated before anything is written, idempotent, JSON and CSV."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import ACTION, RECOMMENDATION, Run, import_document, meeting_row


def head(run: Run, token: str) -> int:
    status = run("projections", "status", "--json", token=token).json()["projections"]
    return int(status[0]["head"])


def test_a_json_file_of_all_three_aggregates(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    path = write_json(
        import_document(
            meetings=[meeting_row("M1")], recommendations=[RECOMMENDATION], actions=[ACTION]
        )
    )

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 0, result.err
    outcome = result.json()
    assert outcome["created"] == {"meetings": 1, "recommendations": 1, "actions": 1}
    # meeting 11 (request, 2 invitations, held, attendance, decision, action assigned and
    # linked, its completion, record shared, quality); recommendation 5; action 2
    assert outcome["events_written"] == head(run, governance) == 18
    assert outcome["skipped"] == []
    quality = run("report", "quality", "--audit-ref", "AUDIT-T", "--json", token=governance)
    assert quality.json()["clear"] == 1


def test_last_years_plan_keeps_its_dates(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    late = {
        **ACTION,
        "due_date_revisions": [
            {"due_on": "2023-10-15", "reason": "Leave", "effective_on": "2023-09-20"}
        ],
        "cancelled": {"reason": "Superseded", "effective_on": "2023-10-20"},
    }
    undated = {**ACTION, "ref": "A2"}
    del undated["agreed_on"]
    path = write_json(import_document(actions=[late, undated]))

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3  # the undated action would fall due before the day it is imported
    assert "cannot fall due before then" in result.out + result.err
    path = write_json(import_document(actions=[late]))
    assert run("import", str(path), token=governance).code == 0
    as_of = {
        day: run("report", "overdue", "--as-of", day, "--json", token=governance).json()["rows"]
        for day in ("2023-10-02", "2023-10-17", "2023-10-21")
    }
    assert as_of["2023-10-02"] == []  # due 30 September, but revised on 20 September
    assert [(r["due_on"], r["days_overdue"], r["revisions"]) for r in as_of["2023-10-17"]] == [
        ("2023-10-15", 2, 1)
    ]
    assert as_of["2023-10-21"] == []  # cancelled on 20 October


def test_importing_the_same_file_twice_creates_nothing_new(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    path = write_json(import_document(meetings=[meeting_row("M1")], actions=[ACTION]))
    first = run("import", str(path), "--json", token=governance).json()

    again = run("import", str(path), "--json", token=governance)

    assert again.code == 0
    assert again.json()["created"] == {}
    assert again.json()["unchanged"] == {"meetings": 1, "actions": 1}
    assert again.json()["events_written"] == 0
    assert head(run, governance) == first["events_written"]
    assert "nothing new" in run("import", str(path), token=governance).out


def test_an_invalid_row_is_reported_and_nothing_is_written(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    bad_shape = meeting_row("M2", held={"held_at": "2023-07-04", "format": "virtual"})
    breaks_rule = meeting_row("M3", attendance=[{"agency": "education", "attended": True}])
    path = write_json(import_document(meetings=[meeting_row("M1"), bad_shape, breaks_rule]))

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    report = result.json()
    assert report["written"] is False
    errors = {(e["row"], e["field"]) for e in report["errors"]}
    assert errors == {(2, "held.held_at"), (3, "attendance[1]")}
    assert any("not invited" in e["message"] for e in report["errors"])
    assert head(run, governance) == 0


def test_skip_invalid_writes_the_valid_rows_and_lists_the_others(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    bad = meeting_row("M2", kind="urgent")
    path = write_json(import_document(meetings=[meeting_row("M1"), bad]))

    result = run("import", str(path), "--skip-invalid", token=governance)

    assert result.code == 0
    assert "created 1 meeting;" in result.out
    _, listed = result.out.split("Skipped 1 invalid row, 1 problem:\n")
    assert "M2" in listed
    assert "kind" in listed
    assert head(run, governance) > 0


def test_dry_run_checks_and_writes_nothing(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    path = write_json(import_document(meetings=[meeting_row("M1")]))

    result = run("import", str(path), "--dry-run", token=governance)

    assert result.code == 0
    assert "1 valid row" in result.out
    assert head(run, governance) == 0


def test_a_repeated_ref_is_an_invalid_row(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    path = write_json(import_document(meetings=[meeting_row("M1"), meeting_row("M1")]))

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    assert result.json()["errors"][0]["field"] == "ref"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other/1"}', "actiontrail-import/1"),
        ('{"format": "actiontrail-import/1", "people": []}', "unknown members"),
    ],
)
def test_an_unreadable_file_is_refused_whole(
    run: Run, governance: str, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)

    result = run("import", str(path), token=governance)

    assert result.code == 3
    assert message in result.err


CSV_HEADER = (
    "Meeting Ref,Case Ref,Concern Raised,Kind,Team,Invited,Held,Format,Attended,Decisions,"
    "Rationale,Record Shared,Shared With,Quality,Audit Ref,Quality Notes\n"
)


def test_csv_meetings_read_uk_dates_day_first(run: Run, governance: str, tmp_path: Path) -> None:
    path = tmp_path / "meetings.csv"
    path.write_text(
        CSV_HEADER
        + "LL-1,CASE-1,03/07/2023 09:15,Child Protection,North,police; health (mash-nurse),"
        "04/07/2023 10:00,virtual,police,section-47; joint-visit,Injury,06/07/2023 16:00,,"
        "lacks-clarity,AUDIT-C,No analysis\n"
        + "LL-2,CASE-2,12/07/2023,missing,South,police,,,,,,,,,,\n"
    )

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 0, result.out + result.err
    assert result.json()["created"] == {"meetings": 2}
    log = run("audit-log", "--type", "StrategyMeeting.Held", "--json", token=governance).json()[
        "events"
    ]
    (held,) = log
    assert held["data"]["held_at"] == "2023-07-04T09:00:00+00:00"
    attendance = run(
        "audit-log", "--type", "StrategyMeeting.AttendanceRecorded", "--json", token=governance
    ).json()["events"]
    assert {(e["data"]["agency"], e["data"]["attended"]) for e in attendance} == {
        ("police", True),
        ("health", False),
    }
    quality = run("report", "quality", "--audit-ref", "AUDIT-C", "--json", token=governance)
    assert quality.json()["lacks_clarity"] == 1


def test_csv_meeting_facts_take_effect_on_the_meetings_days_and_the_day_assessed(
    run: Run, governance: str, tmp_path: Path
) -> None:
    path = tmp_path / "meetings.csv"
    path.write_text(
        CSV_HEADER.replace("\n", ",Assessed\n")
        + "LL-1,CASE-1,03/07/2023 09:15,Child Protection,North,police,04/07/2023 10:00,virtual,"
        "police,section-47,Injury,06/07/2023 16:00,,clear,AUDIT-C,,16/10/2023\n"
    )

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 0, result.out + result.err
    log = run("audit-log", "--json", token=governance).json()["events"]
    effective = {e["type"]: e["effective"] for e in log}
    assert effective["StrategyMeeting.AgencyInvited"] == "2023-07-03"
    assert effective["StrategyMeeting.AttendanceRecorded"] == "2023-07-04"
    assert effective["StrategyMeeting.DecisionRecorded"] == "2023-07-04"
    assert effective["StrategyMeeting.QualityAssessed"] == "2023-10-16"


def test_csv_dates_in_us_order_are_rejected_with_row_and_column(
    run: Run, governance: str, tmp_path: Path
) -> None:
    path = tmp_path / "meetings.csv"
    path.write_text(
        CSV_HEADER
        + "LL-1,CASE-1,03/07/2023,child-protection,North,police,,,,,,,,,,\n"
        + "LL-2,CASE-2,07/13/2023,child-protection,North,police,,,,,,,,,,\n"
    )

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    (error,) = result.json()["errors"]
    assert (error["row"], error["ref"], error["field"]) == (3, "LL-2", "concern_raised")
    assert "07/13/2023" in error["message"]


def test_csv_with_unknown_columns_is_refused(run: Run, governance: str, tmp_path: Path) -> None:
    path = tmp_path / "meetings.csv"
    path.write_text("Meeting Ref,Case Ref,Child Name\nLL-1,CASE-1,X\n")

    result = run("import", str(path), token=governance)

    assert result.code == 3
    assert "child_name" in result.err


def test_only_governance_imports(
    run: Run,
    add_user: Callable[..., dict[str, Any]],
    governance: str,
    write_json: Callable[..., Path],
) -> None:
    inspector = add_user("Ian", "inspector")
    path = write_json(import_document(meetings=[meeting_row("M1")]))

    assert run("import", str(path), token=inspector["token"]).code == 4
    assert run("import", str(path)).code == 4


def test_a_row_refused_by_what_is_stored_stops_the_import_with_nothing_written(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    cancelled = meeting_row("M1", cancelled={"reason": "Duplicate referral"})
    for step in ("held", "attendance", "decisions", "actions", "record_shared"):
        cancelled.pop(step)
    cancelled["quality_assessments"] = []
    first = write_json(import_document(meetings=[cancelled]), name="first.json")
    assert run("import", str(first), token=governance).code == 0
    before = head(run, governance)
    # the same meeting, now said to be held, after a new one: the file itself is valid
    held = meeting_row("M1", cancelled=None, quality_assessments=[])
    later = write_json(import_document(meetings=[meeting_row("M0"), held]), name="later.json")

    result = run("import", str(later), token=governance)
    as_json = run("import", str(later), "--json", token=governance)

    assert result.code == as_json.code == 6
    assert result.err.startswith("error: meetings row 2 (M1), held: ")
    assert "cancelled" in result.err
    assert result.err.rstrip().endswith("nothing was written")
    assert as_json.json()["written"] is False
    (error,) = as_json.json()["errors"]
    assert (error["section"], error["row"], error["ref"], error["field"]) == (
        "meetings",
        2,
        "M1",
        "held",
    )
    assert head(run, governance) == before


def test_rows_are_held_to_the_limits_of_the_commands(
    run: Run, governance: str, write_json: Callable[..., Path], tmp_path: Path
) -> None:
    """A NUL, an escape, a huge number, a year-1 timestamp or a long list: row errors, exit 3."""
    action = {"agency": "health", "description": "a\x00b", "due_on": "2023-07-10"}
    rows = [
        meeting_row("M1", actions=[action]),
        meeting_row("M2", concern_raised_at="0001-01-01T01:00+05:00"),
        meeting_row("M3", team="North\x1b[2J"),
        meeting_row("M4", invitations=[{"agency": "police"}] * 101),
    ]
    recommendation = {**RECOMMENDATION, "number": 10**30}
    path = write_json(import_document(meetings=rows, recommendations=[recommendation]))

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    errors = {(e["section"], e["row"], e["field"]) for e in result.json()["errors"]}
    assert errors == {
        ("meetings", 1, "actions[1].description"),
        ("meetings", 2, "concern_raised_at"),
        ("meetings", 3, "team"),
        ("meetings", 4, "invitations"),
        ("recommendations", 1, "number"),
    }
    assert head(run, governance) == 0


def test_csv_dates_outside_the_years_covered_are_row_errors(
    run: Run, governance: str, tmp_path: Path
) -> None:
    path = tmp_path / "meetings.csv"
    path.write_text(CSV_HEADER + "LL-1,CASE-1,01/01/0001 00:30,child-protection,North,,,,,,,,,,,\n")

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    (error,) = result.json()["errors"]
    assert (error["row"], error["ref"], error["field"]) == (2, "LL-1", "concern_raised")
    assert "1900" in error["message"]
    assert error["message"].endswith("(as concern_raised_at)")


def test_an_agency_invited_twice_is_refused_in_a_file_and_against_what_is_stored(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    """An invalid row (exit 3, nothing written): twice in the row, or once more than stored."""
    police = {"agency": "police"}
    twice = meeting_row("M1", invitations=[police, police])
    in_file = run("import", str(write_json(import_document(meetings=[twice]))), token=governance)
    assert in_file.code == 3
    assert "police is already invited to this meeting" in in_file.out + in_file.err
    assert head(run, governance) == 0

    once = meeting_row("M1", invitations=[police], attendance=[], actions=[])
    assert (
        run("import", str(write_json(import_document(meetings=[once]))), token=governance).code == 0
    )
    written = head(run, governance)
    again = meeting_row("M1", invitations=[police, police], attendance=[], actions=[])

    stored = run("import", str(write_json(import_document(meetings=[again]))), token=governance)

    assert stored.code == 3, stored.err
    assert "police is already invited to this meeting" in stored.out
    assert head(run, governance) == written
