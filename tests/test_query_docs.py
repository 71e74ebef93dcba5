"""The docs' parameter lines of every query are those its declaration makes."""

import re
from pathlib import Path
from typing import Any

import pytest

from application.queries import ExportQuery, IntegrityQuery, PackQuery, Query, TimelineQuery
from infrastructure.presentation.lists import LISTS
from infrastructure.presentation.reports import AUDIT_LOG, REPORTS, WORK_QUEUE, Report
from infrastructure.presentation.synopses import cli_synopsis, http_synopsis

DOCS = Path(__file__).parent.parent / "docs"
ENTRIES: list[tuple[Report[Any], str, str]] = [
    *((r, f"/reports/{r.name}", f"report {r.command}") for r in REPORTS),
    *((entry, f"/{entry.name}", f"list {entry.command}") for entry in LISTS),
    (AUDIT_LOG, "/audit-log", "audit-log"),
    (WORK_QUEUE, "/queue", "queue"),
]


def _text(name: str) -> str:
    """The doc with runs of spaces as one (a synopsis may be aligned)."""
    return re.sub(r" +", " ", (DOCS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("entry", "path", "command"), ENTRIES, ids=[c for _, _, c in ENTRIES])
def test_the_docs_list_every_declared_parameter(
    entry: Report[Any], path: str, command: str
) -> None:
    http = http_synopsis(path, entry.query)
    cli = f"actiontrail {command} {cli_synopsis(entry.query)}".rstrip() + " ["

    assert f"`{http}`" in _text("api-contract.md"), f"docs/api-contract.md lacks `{http}`"
    assert cli in _text("cli.md"), f"docs/cli.md lacks {cli}"


#: The commands whose query has no line in the API's contract, with their docs' lines; the API's
#: routes of these are described in docs/api.md.
COMMANDS: list[tuple[type[Query], str]] = [
    (TimelineQuery, "history"),
    (TimelineQuery, "show"),
    (ExportQuery, "export"),
    (IntegrityQuery, "verify"),
    (PackQuery, "pack"),
]


@pytest.mark.parametrize(("query", "command"), COMMANDS, ids=[c for _, c in COMMANDS])
def test_the_cli_docs_list_every_declared_option(query: type[Query], command: str) -> None:
    cli = f"actiontrail {command} {cli_synopsis(query)} ["

    assert cli in _text("cli.md"), f"docs/cli.md lacks {cli}"


def test_the_api_docs_list_the_packs_parameters() -> None:
    http = http_synopsis("/packs", PackQuery).removeprefix("GET ")

    assert f"`{http}`" in _text("api.md"), f"docs/api.md lacks `{http}`"
