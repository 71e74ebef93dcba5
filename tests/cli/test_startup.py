"""The command line imports only what the chosen command uses: ``--help`` lists every command
from the table without importing any of them, and each command's own help still works."""

import json
import subprocess
import sys

import pytest

from infrastructure.cli import COMMANDS, Command, main

HEAVY = (
    "fastapi",
    "uvicorn",
    "sqlalchemy",
    "psycopg",
    "eventsourcing",
    "pydantic_settings",
    "rich",
)
#: Prints the modules ``actiontrail ARGS`` imported, as JSON on its last line of output.
PROBE = """
import json, sys
from infrastructure.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported_by(*argv: str) -> tuple[int, set[str]]:
    """The exit code of ``actiontrail ARGV`` run in a fresh interpreter, and its modules."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True
    )
    probe = json.loads(done.stdout.splitlines()[-1])
    return probe["code"], {name.split(".")[0] for name in probe["modules"]} | set(probe["modules"])


def test_help_lists_every_command_and_imports_none_of_the_heavy_libraries() -> None:
    code, modules = imported_by("--help")

    assert code == 0
    assert modules.isdisjoint(HEAVY), sorted(modules.intersection(HEAVY))
    assert not [name for name in modules if name.startswith("infrastructure.cli.")]


def test_a_report_imports_neither_the_http_package_nor_its_server() -> None:
    code, modules = imported_by("report", "overdue", "--help")

    assert code == 0
    assert modules.isdisjoint({"fastapi", "uvicorn", "starlette", "infrastructure.http"})


def test_the_top_level_help_lists_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0

    listing = capsys.readouterr().out.split("options:")[0]
    for command in COMMANDS:
        assert command.name in listing
        assert command.help.split()[0] in listing


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.name)
def test_each_command_has_its_own_help(
    command: Command, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command.name, "--help"]) == 0

    assert capsys.readouterr().out.startswith(f"usage: actiontrail {command.name} ")


def test_an_unknown_command_and_a_missing_one_are_bad_arguments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["reports"]) == 2
    assert "invalid choice: 'reports'" in capsys.readouterr().err
    assert main([]) == 2
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("actiontrail ")
