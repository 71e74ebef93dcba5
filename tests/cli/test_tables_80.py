"""Tables in an 80-column terminal: no line wider, no word or date split across lines (a word
too long for its column is cut with "…"); wrapped text breaks between words (both stores)."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console

from infrastructure.cli import output
from tests.cli.conftest import Run

DESCRIPTION = (
    "Reiterate the MASH-nurse process to all strategy discussion chairs and health staff, "
    "including the safeguarding named nurses"
)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Console:
    console = Console(width=80, soft_wrap=True, color_system=None, record=True)
    monkeypatch.setattr(output, "console", console)
    return console


def lines_of(console: Console) -> list[str]:
    return console.export_text().splitlines()


def assert_nothing_split(lines: list[str], texts: list[str]) -> None:
    assert all(len(line) <= 80 for line in lines), "\n".join(lines)
    words = {word for line in lines for word in re.split(r"[\s│┃]+", line) if word}
    for text in texts:
        for word in text.split():
            assert word in words or any(
                w.endswith("…") and word.startswith(w[:-1]) and len(w) > 4 for w in words
            ), (word, "\n".join(lines))


def test_a_wide_table_keeps_its_words_and_dates_whole(terminal: Console) -> None:
    row = [
        "Children's social care",
        DESCRIPTION,
        "SM-AUDIT-2023 recommendation 1",
        "2024-01-08",
        "2024-02-29",
        "2024-02-29",
        "32",
        "22",
    ]
    columns = [
        *["agency", "description", "source", "agreed", "due"],
        "original due",
        "days",
        "working days",
    ]

    output.print_table("Overdue actions as of 2024-04-01", columns, [row, row])

    lines = lines_of(terminal)
    assert_nothing_split(lines, [*row[:2], "2024-01-08", "2024-02-29", *columns])
    assert sum("2024-01-08" in line for line in lines) == 2


def test_a_table_that_fits_is_printed_as_before(terminal: Console) -> None:
    output.print_table("Users", ["user", "name"], [["u-1", "Gill"]])

    assert "┃ user ┃ name ┃" in terminal.export_text()


def test_the_list_of_actions_at_80_columns(
    run: Run, governance: str, terminal: Console, write_json: Callable[..., Any]
) -> None:
    action = {
        "ref": "A1",
        "source": {"kind": "marac", "ref": "MARAC-2023-07"},
        "agency": "childrens-social-care",
        "description": DESCRIPTION,
        "due_on": "2023-09-30",
        "agreed_on": "2023-09-01",
    }
    assert (
        run(
            "import",
            str(write_json({"format": "actiontrail-import/1", "actions": [action]})),
            token=governance,
        ).code
        == 0
    )
    terminal.export_text()  # what the import printed

    result = run("list", "actions", token=governance)

    assert result.code == 0, result.err
    lines = lines_of(terminal)
    assert_nothing_split(lines, [DESCRIPTION, "2023-09-30", "Children's social care"])
