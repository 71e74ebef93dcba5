"""An import lists every problem of every row: its row number, ref, field and message; every
problem of a row's shape, and the first rule its commands break once its shape is valid."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.cli.conftest import Run, import_document, meeting_row
from tests.cli.test_import_cli import head

HEADER = "Meeting Ref,Case Ref,Concern Raised,Kind,Team,Invited,Held,Format,Attended\n"
CSV_ROWS = (
    "LL-1,CASE-1,03/07/2023,other,North,police,04/07/2023 10:00,virtual,police\n"
    "LL-2,CASE-2,31/02/2023,urgent,North,police;health,13/13/2023,zoom,education\n"
    "LL-3,CASE-3,03/07/2023,other,North,police,02/07/2023 10:00,virtual,police\n"
    "LL-4,CASE-4\n"
)
#: (row, ref, field) of every problem of ``CSV_ROWS``, named by the CSV's columns.
CSV_PROBLEMS = {
    (3, "LL-2", "concern_raised"),
    (3, "LL-2", "kind"),
    (3, "LL-2", "held"),
    (3, "LL-2", "format"),
    (3, "LL-2", "attended"),
    (4, "LL-3", "held"),
    (5, "LL-4", "row"),
}


def problems(report: list[dict[str, Any]]) -> set[tuple[int, str, str]]:
    return {(e["row"], e["ref"], e["field"]) for e in report}


def write_csv(tmp_path: Path) -> Path:
    path = tmp_path / "meetings.csv"
    path.write_text(HEADER + CSV_ROWS)
    return path


def test_a_json_row_lists_every_problem_of_its_shape(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    shapeless = meeting_row(
        "M2", kind="urgent", team="", held={"held_at": "04/07/2023", "format": "zoom"}
    )
    # The attendance breaks a rule, found only once the row's shape is valid.
    breaks_a_rule_too = meeting_row(
        "M3",
        attendance=[{"agency": "education", "attended": True}],
        decisions=[{"decision": "bogus", "rationale": "Unexplained injury"}],
    )
    rows = [meeting_row("M1"), shapeless, breaks_a_rule_too, meeting_row("M4", kind="soon")]
    path = write_json(import_document(meetings=rows))

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    report = result.json()
    assert report["written"] is False
    assert problems(report["errors"]) == {
        (2, "M2", "kind"),
        (2, "M2", "team"),
        (2, "M2", "held.held_at"),
        (2, "M2", "held.format"),
        (3, "M3", "decisions[1].decision"),
        (4, "M4", "kind"),
    }
    assert all(e["section"] == "meetings" and e["message"] for e in report["errors"])
    assert head(run, governance) == 0


def test_a_json_row_of_a_valid_shape_lists_the_first_rule_it_breaks(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    breaks_rules = meeting_row(
        "M2",
        attendance=[{"agency": "education", "attended": True}],
        record_shared={"shared_at": "2023-07-05T16:00:00+01:00", "agencies": ["probation"]},
    )
    path = write_json(import_document(meetings=[breaks_rules, meeting_row("M3", team="")]))

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    errors = result.json()["errors"]
    assert problems(errors) == {(1, "M2", "attendance[1]"), (2, "M3", "team")}
    assert "not invited" in errors[0]["message"]


def test_a_csv_row_lists_every_problem_with_its_ref_and_column(
    run: Run, governance: str, tmp_path: Path
) -> None:
    result = run("import", str(write_csv(tmp_path)), "--json", token=governance)

    assert result.code == 3
    errors = result.json()["errors"]
    assert problems(errors) == CSV_PROBLEMS
    messages = {e["field"]: e["message"] for e in errors if e["row"] == 3}
    assert "'31/02/2023' is not a real date" in messages["concern_raised"]
    assert "'13/13/2023' is not a real date" in messages["held"]
    assert messages["attended"] == "['education'] attended but are not in 'invited'"
    assert messages["format"].endswith("(as held.format)")
    assert head(run, governance) == 0


def test_skip_invalid_lists_the_same_problems_and_writes_the_valid_rows(
    run: Run, governance: str, tmp_path: Path
) -> None:
    result = run("import", str(write_csv(tmp_path)), "--skip-invalid", "--json", token=governance)

    assert result.code == 0, result.err
    report = result.json()
    assert report["created"] == {"meetings": 1}
    assert problems(report["skipped"]) == CSV_PROBLEMS


def test_the_table_comes_after_its_heading(run: Run, governance: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path)

    refused = run("import", str(path), token=governance)
    skipped = run("import", str(path), "--skip-invalid", token=governance)

    assert refused.code == 3
    assert refused.out.startswith("Invalid rows (nothing was written), 7 problems:\n")
    assert skipped.code == 0, skipped.err
    summary, heading, table = skipped.out.split("\n", 2)
    assert summary.endswith("created 1 meeting; 4 events written.")
    assert heading == "Skipped 3 invalid rows, 7 problems:"
    assert table.startswith("┏")
    for output in (refused.out, skipped.out):
        for _row, ref, column in CSV_PROBLEMS:
            assert ref in output
            assert column in output
