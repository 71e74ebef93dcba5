"""Every field a query declares is accepted by HTTP, the CLI and the console, under its name."""

import argparse
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from application.queries import (
    ActionListQuery,
    CompletedLateQuery,
    MeetingListQuery,
    OverdueQuery,
    Query,
    RecommendationListQuery,
    asked_fields,
)
from infrastructure.cli import build_parser
from infrastructure.console.routes import dashboard as console_dashboard
from infrastructure.console.routes import lists as console_lists
from infrastructure.http.routes import feed, lists, queue, reports
from infrastructure.presentation.lists import LISTS
from infrastructure.presentation.reports import AUDIT_LOG, REPORTS, WORK_QUEUE, Report

#: Each entry with the CLI command that asks it.
COMMANDS: list[tuple[Report[Any], tuple[str, ...]]] = [
    *((report, ("report", report.command)) for report in REPORTS),
    *((listing, ("list", listing.command)) for listing in LISTS),
    (AUDIT_LOG, ("audit-log",)),
    (WORK_QUEUE, ("queue",)),
]
#: The console's pages with a query's filters.
CONSOLE_PAGES: dict[type[Query], str] = {
    MeetingListQuery: "/meetings",
    RecommendationListQuery: "/recommendations",
    ActionListQuery: "/actions",
    OverdueQuery: "/overdue",
    CompletedLateQuery: "/completed-late",
}


def _parameters(routes: list[Any], path: str) -> set[str]:
    """The names of the query and path parameters the GET route at ``path`` reads."""
    (route,) = [r for r in routes if isinstance(r, APIRoute) and r.path_format == path]
    return _names(route.dependant)


def _names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in (*dependant.query_params, *dependant.path_params)}
    return names.union(*(_names(d) for d in dependant.dependencies))


def _http_path(entry: Report[Any]) -> str:
    prefix = "/reports" if entry in REPORTS else ""
    positional = "".join(f"/{{{f.field}}}" for f in asked_fields(entry.query) if f.positional)
    return f"{prefix}/{entry.name}{positional}"


def _subcommand(words: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = build_parser(words[0])
    for word in words:
        (choices,) = [
            a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)
        ]
        parser = choices[word]
    return parser


@pytest.mark.parametrize(("entry", "words"), COMMANDS, ids=lambda v: getattr(v, "name", ""))
def test_every_declared_field_is_an_http_parameter_and_a_cli_option(
    entry: Report[Any], words: tuple[str, ...]
) -> None:
    routes = [*reports.router.routes, *lists.router.routes, *feed.router.routes]
    routes += queue.router.routes
    declared = asked_fields(entry.query)

    assert _parameters(routes, _http_path(entry)) >= {f.name for f in declared}
    cli = {a.dest: a for a in _subcommand(words)._actions}
    for field in declared:
        assert field.field in cli, f"{' '.join(words)} lacks {field.name}"
        option = cli[field.field]
        if field.positional:
            assert not option.option_strings
        else:
            assert f"--{field.name.replace('_', '-')}" in option.option_strings


@pytest.mark.parametrize(("query", "path"), CONSOLE_PAGES.items(), ids=CONSOLE_PAGES.values())
def test_every_declared_field_is_a_console_filter(query: type[Query], path: str) -> None:
    routes = [*console_lists.router.routes, *console_dashboard.router.routes]

    assert _parameters(routes, path) >= {f.name for f in asked_fields(query)}


def test_the_attendance_and_timeliness_reports_take_known_at_everywhere() -> None:
    """They once lacked it on the command line while HTTP took it."""
    for command in ("attendance", "timeliness"):
        args = _subcommand(("report", command)).parse_args(["--known-at", "2024-01-01T00:00Z"])
        assert args.known_at.isoformat() == "2024-01-01T00:00:00+00:00"


#: The console's templates with a query's filter form (its page's ``limit`` and ``after`` are
#: the pager's).
CONSOLE_FORMS: dict[type[Query], str] = {
    MeetingListQuery: "meetings.html",
    RecommendationListQuery: "recommendations.html",
    ActionListQuery: "actions.html",
    OverdueQuery: "overdue.html",
    CompletedLateQuery: "completed_late.html",
}
TEMPLATES = Path(__file__).parent.parent.parent / "infrastructure" / "console" / "templates"


@pytest.mark.parametrize(("query", "template"), CONSOLE_FORMS.items(), ids=CONSOLE_FORMS.values())
def test_every_declared_filter_is_in_the_console_form(query: type[Query], template: str) -> None:
    form = (TEMPLATES / template).read_text(encoding="utf-8")
    inputs = set(re.findall(r'name="([a-z_]+)"', form))
    inputs |= set(re.findall(r'(?:choice|field)\("([a-z_]+)"', form))

    filters = {f.name for f in asked_fields(query)} - {"limit", "after"}
    assert filters <= inputs, f"{template} lacks {filters - inputs}"
