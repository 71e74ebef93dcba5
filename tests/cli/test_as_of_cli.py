"""``show`` and ``history`` as it stood on a day and as known at a time, and the note of an
import whose changes were entered out of order: on both stores."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from freezegun import freeze_time

from tests.cli.conftest import RECOMMENDATION, Run, import_document

OUT_OF_ORDER = {
    **RECOMMENDATION,
    "actions": [],
    "status_changes": [
        {"status": "implemented", "rag": "green", "reason": "Done", "effective_on": "2024-04-30"},
        {"status": "in-progress", "rag": "amber", "reason": "Begun", "effective_on": "2023-12-15"},
    ],
}


def imported(run: Run, token: str, write_json: Callable[..., Path]) -> tuple[str, Any]:
    """The recommendation imported on 3 June 2024, and what the import printed as JSON."""
    path = write_json(import_document(recommendations=[OUT_OF_ORDER]))
    with freeze_time("2024-06-03 09:00:00"):
        result = run("import", str(path), "--json", token=token)
    assert result.code == 0, result.err
    listed = run("list", "recommendations", "--json", token=token)
    (item,) = listed.json()["items"]
    return str(item["id"]), result.json()


def test_an_import_says_which_back_dated_change_left_the_status_as_it_was(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    rec, printed = imported(run, governance, write_json)
    assert printed["notes"] == [
        {
            "section": "recommendations",
            "row": 1,
            "ref": "R1",
            "field": "status_changes[2]",
            "note": "recorded; the current status stays implemented/green, effective 2024-04-30",
        }
    ]
    table = run(
        "import", str(write_json(import_document(recommendations=[OUT_OF_ORDER]))), token=governance
    )
    assert table.code == 0, table.err
    assert "1 note:" in table.out
    assert "stays implemented/green" in table.out

    now = run("show", rec, "--json", token=governance).json()
    assert (now["status"], now["rag"]) == ("implemented", "green")


def test_show_and_history_as_of_a_day_as_known_at_a_time(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    rec, _ = imported(run, governance, write_json)

    then = run("show", rec, "--as-of", "2024-01-31", "--json", token=governance)
    assert then.code == 0, then.err
    assert (then.json()["status"], then.json()["rag"]) == ("in-progress", "amber")
    table = run("show", rec, "--as-of", "2023-11-30", token=governance)
    assert "State as it stood on 2023-11-30 (version 1):" in table.out
    assert "status: open" in table.out
    assert "responses: -" in table.out

    history = run(
        "history",
        rec,
        "--as-of",
        "2023-12-15",
        "--known-at",
        "2024-06-03T09:00:00+00:00",
        "--json",
        token=governance,
    ).json()
    assert [e["type"] for e in history["events"]] == [
        "Recommendation.Raised",
        "Recommendation.ResponseRecorded",
        "Recommendation.StatusChanged",
    ]
    assert [e["effective"] for e in history["events"]] == ["2023-10-16", "2023-12-01", "2023-12-15"]
    assert history["state"]["status"] == "in-progress"

    early = run("show", rec, "--as-of", "2023-10-15", token=governance)
    assert early.code == 5
    assert early.err.strip() == (
        "error: recommendation 1 of AUDIT-T was raised on 2023-10-16, after 15 October 2023"
    )
    unknown = run("history", rec, "--known-at", "2024-06-02T09:00:00+00:00", token=governance)
    assert unknown.code == 5
    assert f"recommendation {rec} was first recorded at 2024-06-03T09:00:00+00:00" in unknown.err
    both = run("show", rec, "--known-at", "2024-06-03T09:00:00+00:00", "--version", "1")
    assert both.code == 2
