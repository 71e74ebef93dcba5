"""Every field a query declares is accepted by HTTP, the CLI and the console, under its name, and
they accept nothing else: each front end's inputs are exactly the declaration's."""

import argparse
import ast
import re
from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from application import queries as q
from application.permissions import QUERY_READERS
from application.queries import Query, asked_fields
from infrastructure.cli import build_parser
from infrastructure.console import ROUTERS as CONSOLE
from infrastructure.console.forms import form_fields
from infrastructure.http.api import ROUTERS as HTTP
from infrastructure.presentation.lists import LISTS
from infrastructure.presentation.queries import ANSWERS
from infrastructure.presentation.reports import AUDIT_LOG, REPORTS, WORK_QUEUE
from tests.api.conftest import Api
from tests.api.console import Console

#: What a route reads besides its query's fields: how it answers.
HTTP_EXTRA = {"format"}

#: Each command asking a query, with its options that are not the query's (how it answers).
COMMON = {"help", "json", "csv", "token"}
COMMANDS: list[tuple[type[Query], tuple[str, ...], set[str]]] = [
    *((r.query, ("report", r.command), set()) for r in REPORTS),
    *((entry.query, ("list", entry.command), set()) for entry in LISTS),
    (AUDIT_LOG.query, ("audit-log",), set()),
    (WORK_QUEUE.query, ("queue",), set()),
    (q.TimelineQuery, ("show",), set()),
    (q.TimelineQuery, ("history",), set()),
    (q.ExportQuery, ("export",), {"dir"}),
    (q.IntegrityQuery, ("verify",), {"public_key", "witness"}),
    (q.PackQuery, ("pack",), {"out", "pack_command"}),
]
#: Queries with fields that one front end does not ask: the event feed is for programs
#: (HTTP only), the export writes files (the CLI only), a record's timeline is a page of the
#: console and a printout of the CLI (the API answers its state).
NOT_ON_THE_CLI = {q.FeedQuery}
NOT_OVER_HTTP = {q.ExportQuery, q.TimelineQuery}
#: ``history`` asks for the events with the state's fields (the id, and the point the state is
#: shown at), checked as ``StateQuery``'s; the CLI asks a record's state as its timeline.
BY_ANOTHER = {q.HistoryQuery, q.StateQuery}


def _query_of(dependant: Dependant) -> type[Query] | None:
    """The query whose declared fields the dependant (or one of its own) parses."""
    signature = getattr(dependant.call, "__signature__", None)
    kind = getattr(signature, "return_annotation", None)
    if isinstance(kind, type) and issubclass(kind, Query):
        return kind
    return next(filter(None, map(_query_of, dependant.dependencies)), None)


def _names(dependant: Dependant) -> set[str]:
    """The query and path parameters the dependant (and its own) read."""
    names = {p.alias for p in (*dependant.query_params, *dependant.path_params)}
    return names.union(*(_names(d) for d in dependant.dependencies))


def _routes(routers: tuple[APIRouter, ...]) -> list[tuple[str, type[Query], set[str]]]:
    """Each GET route that parses a query: its path, the query and the parameters it reads."""
    found = []
    for route in (r for router in routers for r in router.routes):
        if isinstance(route, APIRoute) and "GET" in (route.methods or ()):
            query = _query_of(route.dependant)
            if query is not None:
                found.append((route.path_format, query, _names(route.dependant)))
    return found


def _declared(query: type[Query]) -> set[str]:
    return {field.name for field in asked_fields(query)}


def _asked() -> set[type[Query]]:
    """Every query with fields a user gives."""
    return {query for query in QUERY_READERS if asked_fields(query)}


@pytest.mark.parametrize("front_end", ["http", "console"])
def test_every_web_route_reads_exactly_its_querys_declared_fields(front_end: str) -> None:
    routes = _routes(HTTP if front_end == "http" else CONSOLE)
    assert routes
    for path, query, names in routes:
        assert names - HTTP_EXTRA == _declared(query), f"{path} reads other than {query}"


def test_every_query_with_fields_is_asked_over_http() -> None:
    assert {query for _, query, _ in _routes(HTTP)} >= _asked() - NOT_OVER_HTTP


def _subcommand(words: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = build_parser(words[0])
    for word in words:
        (choices,) = [
            a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)
        ]
        parser = choices[word]
    return parser


@pytest.mark.parametrize(
    ("query", "words", "extra"), COMMANDS, ids=[" ".join(w) for _, w, _ in COMMANDS]
)
def test_every_command_takes_exactly_its_querys_declared_fields(
    query: type[Query], words: tuple[str, ...], extra: set[str]
) -> None:
    cli = {a.dest: a for a in _subcommand(words)._actions}
    declared = asked_fields(query)

    assert set(cli) - COMMON - extra == {field.field for field in declared}
    for field in declared:
        option = cli[field.field]
        if field.positional:
            assert not option.option_strings
            assert option.metavar == field.name.upper()
        else:
            assert option.option_strings == [f"--{field.name.replace('_', '-')}"]


def test_every_query_with_fields_is_asked_on_the_command_line() -> None:
    assert {query for query, _, _ in COMMANDS} >= _asked() - NOT_ON_THE_CLI - BY_ANOTHER


def test_the_attendance_and_timeliness_reports_take_known_at_everywhere() -> None:
    """They once lacked it on the command line while HTTP took it."""
    for command in ("attendance", "timeliness"):
        args = _subcommand(("report", command)).parse_args(["--known-at", "2024-01-01T00:00Z"])
        assert args.known_at.isoformat() == "2024-01-01T00:00:00+00:00"


#: The console's pages with a query's filter form.
CONSOLE_FORMS: dict[str, type[Query]] = {
    "/console/meetings": q.MeetingListQuery,
    "/console/recommendations": q.RecommendationListQuery,
    "/console/actions": q.ActionListQuery,
    "/console/overdue": q.OverdueQuery,
    "/console/completed-late": q.CompletedLateQuery,
    "/console/packs": q.PackQuery,
    "/console/meetings/{id}": q.TimelineQuery,
}
_FORM = re.compile(r'<form method="get" action="([^"]*)" class="filters.*?</form>', re.S)
_INPUT = re.compile(r'<(?:input|select) id="[^"]+" name="([^"]+)"')


def test_every_console_form_offers_exactly_its_querys_fields(api: Api) -> None:
    """Each form's inputs are the fields the console offers (not a page's ``limit`` and
    ``after``, which its pager carries, nor ``at``, ``known_at``'s older name), and it is
    sent to the page that reads them."""
    console = Console(api)
    meeting = api.meeting()
    routes = {path: query for path, query, _ in _routes(CONSOLE)}
    for path, query in CONSOLE_FORMS.items():
        shown = console.get("governance", path.replace("{id}", meeting))
        assert shown.status_code == 200, path
        (form,) = _FORM.finditer(shown.text)
        assert _INPUT.findall(form.group(0)) == [f.name for f in form_fields(query)], path
        sent_to = form.group(1).removeprefix("/console").replace(meeting, "{id}")
        assert routes.get(sent_to) is query, f"{path}'s form is sent to {form.group(1)}"


def test_every_query_has_its_answer_in_ask() -> None:
    kinds = {
        kind
        for kind in vars(q).values()
        if isinstance(kind, type) and issubclass(kind, Query) and kind is not Query
    }
    assert set(ANSWERS) == kinds


FRONT_ENDS = [
    Path(__file__).parents[2] / "infrastructure" / name
    for name in ("http", "cli", "console", "web")
]
#: The services' methods that answer a query (``Queries.ask`` calls them, after its checks).
SERVICE_ANSWERS = {("packs", "make"), ("integrity", "verify"), ("integrity", "public_key_pem")}


def _answered_outside_ask(source: str) -> list[str]:
    """The calls in ``source`` answering a query but not through ``ask``: the facade's method
    of one kind of query, or the service behind it."""
    answering = {method.__name__ for method in ANSWERS.values()}
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = ast.unparse(node.func.value)
        facade = receiver.endswith("queries") or receiver.startswith("reading(")
        service = (receiver.rpartition(".")[2], node.func.attr) in SERVICE_ANSWERS
        if (facade and node.func.attr in answering) or service:
            found.append(f"{node.lineno}: {ast.unparse(node.func)}")
    return found


def test_the_front_ends_ask_every_query_through_ask() -> None:
    """So that every answer is checked the same way: the role table, then the query's own
    check (``Queries.admit``)."""
    found = {
        str(path): calls
        for front_end in FRONT_ENDS
        for path in sorted(front_end.rglob("*.py"))
        if (calls := _answered_outside_ask(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_a_query_answered_outside_ask_is_found() -> None:
    source = (
        "services.queries.users(actor, UsersQuery())\n"
        "reading(services, True).state(actor, query)\n"
        "services.packs.make(query)\n"
        "services.queries.ask(actor, query)\n"
        "services.packs.verify(pdf)\n"
    )
    assert _answered_outside_ask(source) == [
        "1: services.queries.users",
        "2: reading(services, True).state",
        "3: services.packs.make",
    ]
