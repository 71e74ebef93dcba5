"""``actiontrail report completed-late`` and its table in ``actiontrail export``."""

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.api.test_csv_cells import json_cells
from tests.cli.conftest import ACTION, Run, import_document

LATE = {
    **ACTION,
    "ref": "A-LATE",
    "due_on": "2024-03-31",
    "agreed_on": "2024-01-08",
    "completed": {"completed_on": "2024-04-12", "evidence": "Briefed"},
}
ON_TIME = {
    **LATE,
    "ref": "A-ON-TIME",
    "due_date_revisions": [
        {"due_on": "2024-04-30", "reason": "Chairs away", "effective_on": "2024-03-15"}
    ],
}


def test_the_report_as_a_table_json_csv_and_exported(
    run: Run, governance: str, write_json: Callable[..., Any], tmp_path: Path
) -> None:
    document = import_document(actions=[LATE, ON_TIME])
    assert run("import", str(write_json(document)), token=governance).code == 0
    period = ("--from", "2024-04-01", "--to", "2024-04-30")

    table = run("report", "completed-late", *period, token=governance)
    assert table.code == 0, table.err
    assert "Actions completed late, 2024-04-01 to 2024-04-30" in table.out
    assert "Health: 2 completed, 1 late (50.0%)" in table.out
    report = run("report", "completed-late", *period, "--json", token=governance).json()
    ((row),) = report["rows"]
    assert (row["agency"], row["due_on"], row["completed_on"]) == (
        "health",
        "2024-03-31",
        "2024-04-12",
    )
    assert (row["days_late"], row["working_days_late"]) == (12, 9)
    text = run("report", "completed-late", *period, "--csv", token=governance).out
    (csv_row,) = csv.DictReader(io.StringIO(text))
    assert (csv_row["days_late"], csv_row["working_days_late"]) == ("12", "9")
    none = run(
        "report", "completed-late", *period, "--agency", "police", "--json", token=governance
    )
    assert none.json()["rows"] == []
    bad = run(
        "report", "completed-late", "--from", "2024-05-01", "--to", "2024-04-01", token=governance
    )
    assert bad.code == 2

    folder = tmp_path / "export"
    exported = run("export", "--dir", str(folder), *period, "--json", token=governance)
    assert exported.json()["files"]["completed-late.csv"] == 1
    assert (folder / "completed-late.csv").read_text() == text
    for written in folder.glob("*.csv"):
        assert json_cells(written.read_text()) == [], written.name
