"""``actiontrail list meetings|recommendations|actions``: current states, filtered, oldest first.

The filters are those of ``GET /meetings`` etc.; an unknown code or a reversed period exits 2
naming the valid values. A table by default (with the ``--after`` of the next page), the page as
JSON with ``--json``, CSV (the list's registry entry) with ``--csv``.
"""

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from application.inputs import MAX_PAGE, require_ordered
from application.queries import (
    ActionListQuery,
    MeetingListQuery,
    Query,
    RecommendationListQuery,
)
from domain.codes import (
    ActionSourceKind,
    ActionStatus,
    Code,
    MeetingStatus,
    Rag,
    RecommendationStatus,
)
from domain.errors import UnknownCode
from domain.reference import agency_name
from domain.text import quoted
from domain.values import Actor
from infrastructure.cli.arguments import CODE, DAY, PAGE_SIZE, POSITION, add_format_options
from infrastructure.cli.context import add_token_option, asking, load_settings, open_services
from infrastructure.cli.output import CliError, ExitCode, print_json, print_table
from infrastructure.cli.reading import reading
from infrastructure.presentation.lists import (
    ACTION_LIST,
    MEETING_LIST,
    RECOMMENDATION_LIST,
    Page,
)
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.reports import Report
from infrastructure.presentation.states import ActionState, MeetingState, RecommendationState

Parser = argparse.ArgumentParser
Q = TypeVar("Q", bound=Query)


@dataclass(frozen=True)
class ListCommand:
    """How the command line asks for one list and prints it as a table."""

    listing: Report[Any]
    query: type[Query]
    arguments: Callable[[Parser], None]
    ask: Callable[[Queries, Actor, argparse.Namespace], Page[Any]]
    columns: Sequence[str]
    row: Callable[[Any], Sequence[Any]]


def _code_option(parser: Parser, name: str, kind: type[Code], help: str) -> None:
    """An option taking one of ``kind``'s codes; an unknown one exits 2 naming them all."""
    valid = ", ".join(code.value for code in kind)

    def parse(value: str) -> Code:
        try:
            return kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{quoted(value)}: expected one of {valid}") from None

    parser.add_argument(name, type=parse, metavar="CODE", help=f"{help}: {valid}")


def _meeting_arguments(parser: Parser) -> None:
    _code_option(parser, "--status", MeetingStatus, "the meeting's status")
    parser.add_argument("--team", type=CODE, metavar="TEAM")
    parser.add_argument(
        "--held-from", type=DAY, metavar="DATE", help="held on or after (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--held-to", type=DAY, metavar="DATE", help="held on or before (YYYY-MM-DD)"
    )
    parser.add_argument("--case-ref", type=CODE, metavar="REF")


def _recommendation_arguments(parser: Parser) -> None:
    _code_option(parser, "--status", RecommendationStatus, "the recommendation's status")
    _code_option(parser, "--rag", Rag, "its RAG rating")
    parser.add_argument(
        "--source-ref", type=CODE, metavar="REF", help="the audit, review or inspection"
    )


def _action_arguments(parser: Parser) -> None:
    parser.add_argument("--agency", type=CODE, metavar="CODE", help="agency staff: their own only")
    _code_option(parser, "--status", ActionStatus, "the action's status")
    parser.add_argument(
        "--due-before", type=DAY, metavar="DATE", help="due strictly before (YYYY-MM-DD)"
    )
    _code_option(parser, "--source-kind", ActionSourceKind, "what the action came from")
    parser.add_argument("--source-ref", type=CODE, metavar="REF")


def _query(kind: type[Q], args: argparse.Namespace) -> Q:
    """The query of the options of the same names."""
    return kind(**{field.name: getattr(args, field.name) for field in fields(kind)})


def _meetings(queries: Queries, actor: Actor, args: argparse.Namespace) -> Page[Any]:
    require_ordered(args.held_from, args.held_to, ("--held-from", "--held-to"))
    return queries.meetings(actor, _query(MeetingListQuery, args))


def _meeting_row(m: MeetingState) -> Sequence[Any]:
    held = f"{m.held_at:%Y-%m-%d %H:%M}" if m.held_at else None
    return (m.id, m.status, m.case_ref, m.team, m.kind, held)


def _recommendation_row(r: RecommendationState) -> Sequence[Any]:
    return (r.id, r.source.ref, r.number, r.status, r.rag, r.text)


def _action_row(a: ActionState) -> Sequence[Any]:
    return (
        a.id,
        agency_name(a.agency),
        a.status,
        a.due_on,
        a.source.label or a.source.ref,
        a.description,
    )


COMMANDS = (
    ListCommand(
        MEETING_LIST,
        MeetingListQuery,
        _meeting_arguments,
        _meetings,
        ("id", "status", "case ref", "team", "kind", "held at"),
        _meeting_row,
    ),
    ListCommand(
        RECOMMENDATION_LIST,
        RecommendationListQuery,
        _recommendation_arguments,
        lambda queries, actor, args: queries.recommendations(
            actor, _query(RecommendationListQuery, args)
        ),
        ("id", "source", "number", "status", "rag", "text"),
        _recommendation_row,
    ),
    ListCommand(
        ACTION_LIST,
        ActionListQuery,
        _action_arguments,
        lambda queries, actor, args: queries.actions(actor, _query(ActionListQuery, args)),
        ("id", "agency", "status", "due on", "source", "description"),
        _action_row,
    ),
)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "list", description="Meetings, recommendations or actions, filtered, oldest first."
    )
    lists = parser.add_subparsers(dest="listing", required=True, metavar="LIST")
    for command in COMMANDS:
        summary = command.listing.summary
        sub = lists.add_parser(
            command.listing.command, help=summary, description=summary.capitalize() + "."
        )
        command.arguments(sub)
        sub.add_argument(
            "--limit", type=PAGE_SIZE, default=100, help=f"at most this many (1-{MAX_PAGE})"
        )
        sub.add_argument(
            "--after", type=POSITION, default=0, help="the next page's cursor, as printed"
        )
        add_format_options(sub, "print CSV, the states' fields")
        add_token_option(sub)
        sub.set_defaults(run=lambda args, command=command: list_command(args, command))


def list_command(args: argparse.Namespace, command: ListCommand) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        user = asking(services.users, args, command.query)
        try:
            page = command.ask(reading(services, args.json or args.csv), user.actor, args)
        except UnknownCode as error:
            raise CliError(str(error), ExitCode.USAGE) from None
    if args.json:
        print_json(page.public())
    elif args.csv:
        sys.stdout.write(command.listing.csv(page))
    else:
        more = "last page" if page.next_after is None else f"next page: --after {page.next_after}"
        title = f"{command.listing.summary.capitalize()} ({len(page.items)}; {more})"
        print_table(title, command.columns, (command.row(item) for item in page.items))
    return 0
