"""``actiontrail report overdue|completed-late|attendance|timeliness|quality|responses``.

One subcommand per registered report (``add_query_command``, which ``list`` shares): its options
are the report's query's declared fields, the presentation facade answers it, and the answer is
printed as JSON, CSV or a table.
"""

import argparse
import sys
from collections.abc import Callable
from typing import Any

from infrastructure.cli.arguments import add_format_options
from infrastructure.cli.context import add_token_option
from infrastructure.cli.output import print_json
from infrastructure.cli.query_options import add_query_options, query_of
from infrastructure.cli.reading import answer
from infrastructure.cli.report_tables import render
from infrastructure.presentation.reports import REPORTS, Report


def add_query_command(  # noqa: PLR0913 - a builder's keyword options
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    entry: Report[Any],
    table: Callable[[Any], None],
    *,
    csv_help: str,
    public: Callable[[Any], Any] = lambda answer: answer,
    before: Callable[[argparse.Namespace], None] = lambda args: None,
) -> None:
    """``<entry.command>``: the entry's query asked with its options, the answer printed as a
    ``table``, as JSON (``public``'s) or as the entry's CSV; ``before`` checks the options."""
    summary = entry.summary
    sub = commands.add_parser(entry.command, help=summary, description=summary.capitalize() + ".")
    add_query_options(sub, entry.query)
    add_format_options(sub, csv_help)
    add_token_option(sub)

    def run(args: argparse.Namespace) -> int:
        before(args)
        result = answer(args, query_of(entry.query, args), quiet=args.json or args.csv)
        if args.json:
            print_json(public(result))
        elif args.csv:
            sys.stdout.write(entry.csv(result))
        else:
            table(result)
        return 0

    sub.set_defaults(run=run)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser("report")
    reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
    for report in REPORTS:
        add_query_command(reports, report, render, csv_help="print CSV, the JSON rows' columns")
