"""``actiontrail report overdue|completed-late|attendance|timeliness|quality|responses``.

One subcommand per registered report: its arguments are parsed into the application's query,
the presentation facade answers it, and the answer is printed as JSON, CSV or a table.
"""

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from application.queries import (
    GROUPINGS,
    AttendanceQuery,
    CompletedLateQuery,
    OverdueQuery,
    QualityQuery,
    Query,
    ResponsesQuery,
    TimelinessQuery,
)
from domain.values import Actor
from infrastructure.cli.arguments import CODE, DAY, MOMENT, add_format_options
from infrastructure.cli.context import (
    add_token_option,
    asking,
    load_settings,
    open_services,
)
from infrastructure.cli.output import print_json
from infrastructure.cli.reading import reading
from infrastructure.cli.report_tables import render
from infrastructure.presentation import reports as registry
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.reports import Report

Parser = argparse.ArgumentParser
Ask = Callable[[Queries, Actor, argparse.Namespace], BaseModel]


@dataclass(frozen=True)
class ReportCommand:
    """How the command line asks for one registered report."""

    report: Report[Any]
    query: type[Query]
    arguments: Callable[[Parser], None]
    ask: Ask


def _overdue_arguments(parser: Parser) -> None:
    parser.add_argument("--as-of", type=DAY, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--agency", type=CODE, help="only this agency's actions")
    parser.add_argument("--known-at", type=MOMENT, help="as the records stood at this timestamp")


def _period_arguments(parser: Parser) -> None:
    parser.add_argument("--from", dest="from_date", type=DAY, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="to_date", type=DAY, help="YYYY-MM-DD")


def _completed_late_arguments(parser: Parser) -> None:
    _period_arguments(parser)
    parser.add_argument("--agency", type=CODE, help="owning the action on its completion date")
    parser.add_argument("--known-at", type=MOMENT, help="as the records stood at this timestamp")


def _attendance_arguments(parser: Parser) -> None:
    _period_arguments(parser)
    parser.add_argument("--group-by", choices=GROUPINGS, default="month")


def _quality_arguments(parser: Parser) -> None:
    parser.add_argument("--audit-ref", type=CODE, required=True, help="the audit's reference")


def _responses_arguments(parser: Parser) -> None:
    parser.add_argument("recommendation_id", type=UUID)


COMMANDS = (
    ReportCommand(
        registry.OVERDUE_ACTIONS,
        OverdueQuery,
        _overdue_arguments,
        lambda queries, actor, args: queries.overdue_actions(
            actor, OverdueQuery(args.as_of, args.agency, args.known_at)
        ),
    ),
    ReportCommand(
        registry.COMPLETED_LATE,
        CompletedLateQuery,
        _completed_late_arguments,
        lambda queries, actor, args: queries.completed_late(
            actor, CompletedLateQuery(args.from_date, args.to_date, args.agency, args.known_at)
        ),
    ),
    ReportCommand(
        registry.ATTENDANCE_COMPLIANCE,
        AttendanceQuery,
        _attendance_arguments,
        lambda queries, actor, args: queries.attendance_compliance(
            actor, AttendanceQuery(args.from_date, args.to_date, args.group_by)
        ),
    ),
    ReportCommand(
        registry.MEETING_TIMELINESS,
        TimelinessQuery,
        _period_arguments,
        lambda queries, actor, args: queries.meeting_timeliness(
            actor, TimelinessQuery(args.from_date, args.to_date)
        ),
    ),
    ReportCommand(
        registry.RECORD_QUALITY,
        QualityQuery,
        _quality_arguments,
        lambda queries, actor, args: queries.record_quality(actor, QualityQuery(args.audit_ref)),
    ),
    ReportCommand(
        registry.RESPONSE_HISTORY,
        ResponsesQuery,
        _responses_arguments,
        lambda queries, actor, args: queries.response_history(
            actor, ResponsesQuery(args.recommendation_id)
        ),
    ),
)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser("report")
    reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
    for command in COMMANDS:
        summary = command.report.summary
        sub = reports.add_parser(
            command.report.command, help=summary, description=summary.capitalize() + "."
        )
        command.arguments(sub)
        add_format_options(sub, "print CSV, the JSON rows' columns")
        add_token_option(sub)
        sub.set_defaults(run=lambda args, command=command: report(args, command))


def report(args: argparse.Namespace, command: ReportCommand) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        user = asking(services.users, args, command.query)
        result = command.ask(reading(services, args.json or args.csv), user.actor, args)
    if args.json:
        print_json(result)
    elif args.csv:
        sys.stdout.write(command.report.csv(result))
    else:
        render(result)
    return 0
