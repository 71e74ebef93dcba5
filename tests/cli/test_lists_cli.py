"""``actiontrail list meetings|recommendations|actions``: filters, paging, scope, CSV, exit 2."""

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import ACTION, RECOMMENDATION, Run, import_document, meeting_row

AddUser = Callable[..., dict[str, Any]]


@pytest.fixture
def imported(run: Run, governance: str, write_json: Callable[..., Path]) -> str:
    """Two meetings (one held, one only requested), a recommendation with a police action and
    a health action: listed as soon as imported. Answers the governance token."""
    requested = {
        key: value
        for key, value in meeting_row("M2", team="South").items()
        if key in ("ref", "case_ref", "concern_raised_at", "kind", "team", "invitations")
    }
    document = import_document(
        meetings=[meeting_row("M1"), requested],
        recommendations=[RECOMMENDATION],
        actions=[ACTION],
    )
    assert run("import", str(write_json(document)), token=governance).code == 0
    return governance


def _listed(run: Run, token: str, *argv: str) -> dict[str, Any]:
    result = run("list", *argv, "--json", token=token)
    assert result.code == 0, result.err
    page: dict[str, Any] = result.json()
    return page


def test_lists_filter_what_was_just_imported(run: Run, imported: str) -> None:
    meetings = _listed(run, imported, "meetings")["items"]
    held = _listed(run, imported, "meetings", "--status", "held")["items"]
    south = _listed(run, imported, "meetings", "--team", "South")["items"]
    amber = _listed(run, imported, "recommendations", "--rag", "amber")["items"]
    police = _listed(run, imported, "actions", "--agency", "police")["items"]
    marac = _listed(
        run, imported, "actions", "--source-kind", "marac", "--due-before", "2023-10-01"
    )

    assert [m["case_ref"] for m in meetings] == ["CASE-M1", "CASE-M2"]
    assert [m["case_ref"] for m in held] == ["CASE-M1"]
    assert [(m["case_ref"], m["status"]) for m in south] == [("CASE-M2", "requested")]
    assert [(r["number"], r["status"]) for r in amber] == [(1, "in-progress")]
    assert [a["description"] for a in police] == ["Brief officers"]
    assert [a["source"]["ref"] for a in marac["items"]] == ["MARAC-7"]
    assert "next_after" not in marac


def test_a_list_pages_with_after_and_prints_a_table(run: Run, imported: str) -> None:
    first = _listed(run, imported, "actions", "--limit", "2")
    rest = _listed(run, imported, "actions", "--limit", "2", "--after", str(first["next_after"]))
    table = run("list", "actions", "--limit", "2", token=imported)

    assert len(first["items"]) == 2
    assert len(rest["items"]) == 1
    assert "next_after" not in rest
    ids = [a["id"] for a in first["items"] + rest["items"]]
    assert ids == [a["id"] for a in _listed(run, imported, "actions")["items"]]
    assert table.code == 0
    assert f"next page: --after {first['next_after']}" in table.out
    assert "Share the chronology" in table.out


def test_agency_staff_list_only_their_own_actions(
    run: Run, imported: str, add_user: AddUser
) -> None:
    police = add_user("Pat", "agency", "police")["token"]

    mine = _listed(run, police, "actions")["items"]

    assert [a["agency"] for a in mine] == ["police"]
    assert run("list", "actions", "--agency", "health", token=police).code == 4
    assert run("list", "meetings", token=police).code == 4


def test_a_list_as_csv_has_the_states_fields(run: Run, imported: str) -> None:
    result = run("list", "meetings", "--status", "held", "--csv", token=imported)

    assert result.code == 0, result.err
    (row,) = list(csv.DictReader(io.StringIO(result.out)))
    assert (row["case_ref"], row["status"], row["team"]) == ("CASE-M1", "held", "Assessment North")
    assert row["decisions"] == "decision: section-47, rationale: Unexplained injury"


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (("meetings", "--status", "Held"), "requested, held, cancelled"),
        (("recommendations", "--rag", "purple"), "red, amber, green"),
        (("actions", "--source-kind", "audit"), "strategy-meeting"),
        (("actions", "--agency", "Police"), "childrens-social-care"),
        (
            ("meetings", "--held-from", "2023-07-02", "--held-to", "2023-07-01"),
            "--held-from (2023-07-02) is after --held-to",
        ),
    ],
)
def test_bad_filters_exit_2_naming_the_valid_values(
    run: Run, governance: str, argv: tuple[str, ...], named: str
) -> None:
    result = run("list", *argv, token=governance)

    assert result.code == 2, result.err
    assert named in result.err
