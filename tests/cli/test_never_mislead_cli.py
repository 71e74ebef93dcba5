"""The command line never misleads either: an unknown code in a filter or a period ending before
it starts exits 2 naming what is valid; history reads as fields, not Python's reprs."""

from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest

from tests.cli.conftest import Run
from tests.cli.test_reading_cli import csv_rows, imported_meeting

AGENCIES = "valid values: childrens-social-care, police, health,"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("report", "overdue", "--agency", "Police"), f"unknown agency 'Police'; {AGENCIES}"),
        (("audit-log", "--agency", "Police"), f"unknown agency 'Police'; {AGENCIES}"),
        (("audit-log", "--type", "Held"), "unknown event type 'Held'; valid values: "),
        (
            ("audit-log", "--aggregate-type", "Meeting"),
            "unknown aggregate type 'Meeting'; valid values: StrategyMeeting, Recommendation, "
            "AgencyAction, ProjectionSkip",
        ),
    ],
)
def test_a_filter_naming_an_unknown_code_exits_2_naming_the_valid_ones(
    run: Run, governance: str, argv: tuple[str, ...], message: str
) -> None:
    result = run(*argv, token=governance)

    assert result.code == 2
    assert result.err.startswith(f"error: {message}")
    assert result.out == ""


def test_an_unknown_grouping_of_attendance_exits_2_naming_the_valid_ones(
    run: Run, governance: str
) -> None:
    result = run("report", "attendance", "--group-by", "agency", token=governance)

    assert result.code == 2
    assert "choose from 'month', 'team'" in result.err


def test_known_codes_still_filter(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    imported_meeting(run, governance, write_json)

    held = run("audit-log", "--type", "StrategyMeeting.Held", "--json", token=governance)
    actions = run("audit-log", "--aggregate-type", "AgencyAction", "--json", token=governance)

    assert [e["type"] for e in held.json()["events"]] == ["StrategyMeeting.Held"]
    assert {e["aggregate_type"] for e in actions.json()["events"]} == {"AgencyAction"}
    assert run("report", "overdue", "--agency", "police", token=governance).code == 0


@pytest.mark.parametrize(
    "argv",
    [
        ("report", "attendance", "--from", "2023-12-31", "--to", "2023-12-01"),
        ("report", "timeliness", "--from", "2023-12-31", "--to", "2023-12-01"),
        ("report", "timeliness", "--from", "2099-01-01"),
        ("audit-log", "--from", "2024-01-02T00:00:00Z", "--to", "2024-01-01T00:00:00Z"),
    ],
)
def test_a_period_ending_before_it_starts_exits_2_for_every_report(
    run: Run, governance: str, argv: tuple[str, ...]
) -> None:
    result = run(*argv, token=governance)

    assert result.code == 2
    assert "is after to" in result.err
    assert "a period starts on or before it ends" in result.err


def test_an_export_over_a_reversed_period_exits_2_and_writes_nothing(
    run: Run, governance: str, tmp_path: Path
) -> None:
    target = tmp_path / "export"
    period = ("--from", "2023-12-31", "--to", "2023-12-01")

    result = run("export", "--dir", str(target), *period, token=governance)

    assert result.code == 2
    assert "error: from (2023-12-31) is after to (2023-12-01)" in result.err
    assert not target.exists()


def test_csv_booleans_are_true_and_false(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    imported_meeting(run, governance, write_json)

    result = run("report", "timeliness", "--from", "2023-01-01", "--csv", token=governance)

    (row,) = csv_rows(result.out)
    assert (row["held_within_standard"], row["record_shared_within_standard"]) == ("true", "true")


def test_history_prints_the_state_as_readable_fields(
    run: Run, governance: str, write_json: Callable[..., Path]
) -> None:
    meeting = imported_meeting(run, governance, write_json)

    out = run("history", meeting, token=governance).out
    state = out[out.index("State at version") :]

    assert "  cancellation_reason: -\n" in state
    assert "  invited:\n    - agency: police; role: -\n" in state
    assert "    - agency: health; role: mash-nurse\n" in state
    assert "  record_shared_with: police\n" in state
    for repr_ in ("None", "True", "False", "{'", "['"):
        assert repr_ not in state


def test_an_unknown_id_says_at_that_point_only_when_a_point_was_asked(
    run: Run, governance: str
) -> None:
    unknown = str(uuid4())

    now = run("history", unknown, token=governance)
    then = run("history", unknown, "--version", "2", token=governance)

    assert now.code == then.code == 5
    assert now.err.strip() == f"error: no meeting, recommendation or action {unknown}"
    assert (
        then.err.strip() == f"error: no meeting, recommendation or action {unknown} (at that point)"
    )
