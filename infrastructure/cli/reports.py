"""``actiontrail report overdue|attendance|timeliness|quality|responses``."""

import argparse
import sys
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from domain.clock import london_today
from infrastructure.cli.arguments import CODE, DAY, MOMENT
from infrastructure.cli.context import (
    add_token_option,
    load_settings,
    open_services,
    signed_in,
)
from infrastructure.cli.output import CliError, ExitCode, print_json, print_table, say
from infrastructure.cli.reading import caught_up
from infrastructure.http.access import READERS, overdue_scope
from infrastructure.http.tabular import (
    REPORT_COLUMNS,
    Rows,
    attendance_rows,
    overdue_rows,
    quality_rows,
    response_rows,
    timeliness_rows,
    to_csv,
)
from infrastructure.users import User
from projections.models import (
    AttendanceCompliance,
    MeetingTimeliness,
    OverdueActions,
    RecordQuality,
    ResponseHistory,
)
from projections.service import ReadService


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser("report", help="print a report from the read models")
    reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")

    overdue = _report(reports, "overdue", "actions overdue as of a date", run_overdue)
    overdue.add_argument("--as-of", type=DAY, help="YYYY-MM-DD (default: today)")
    overdue.add_argument("--agency", type=CODE, help="only this agency's actions")
    overdue.add_argument("--known-at", type=MOMENT, help="as the records stood at this timestamp")

    for name, help_text, run in (
        ("attendance", "agencies invited and attending, per month", run_attendance),
        ("timeliness", "meetings held and records shared within the standard", run_timeliness),
    ):
        sub = _report(reports, name, help_text, run)
        sub.add_argument("--from", dest="from_date", type=DAY, help="YYYY-MM-DD")
        sub.add_argument("--to", dest="to_date", type=DAY, help="YYYY-MM-DD")
        if name == "attendance":
            sub.add_argument("--group-by", choices=["month", "team"], default="month")

    quality = _report(reports, "quality", "records assessed clear or lacking clarity", run_quality)
    quality.add_argument("--audit-ref", type=CODE, required=True, help="the audit's reference")

    responses = _report(
        reports, "responses", "a recommendation's responses and status changes", run_responses
    )
    responses.add_argument("recommendation_id", type=UUID)


def _report(
    reports: "argparse._SubParsersAction[argparse.ArgumentParser]",
    name: str,
    help_text: str,
    run: Callable[[ReadService, User, argparse.Namespace], BaseModel],
) -> argparse.ArgumentParser:
    parser = reports.add_parser(name, help=help_text, description=help_text.capitalize() + ".")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV, the JSON rows' columns")
    add_token_option(parser)
    parser.set_defaults(run=lambda args: report(args, run))
    return parser


def report(
    args: argparse.Namespace, run: Callable[[ReadService, User, argparse.Namespace], BaseModel]
) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        user = signed_in(services.users, args)
        result = run(caught_up(services, args.json or args.csv), user, args)
    if args.json:
        print_json(result)
    elif args.csv:
        sys.stdout.write(to_csv(ROWS[type(result)](result), REPORT_COLUMNS[type(result)]))
    else:
        RENDER[type(result)](result)
    return 0


def _period(args: argparse.Namespace) -> tuple[date, date]:
    end = args.to_date or london_today()
    start = args.from_date or end.replace(day=1) - timedelta(days=335)
    if start > end:
        raise CliError("--from is after --to", ExitCode.USAGE)
    return start, end


def run_overdue(read: ReadService, user: User, args: argparse.Namespace) -> OverdueActions:
    agency = overdue_scope(user, args.agency)
    return read.overdue_actions(args.as_of or london_today(), agency, args.known_at)


def run_attendance(read: ReadService, user: User, args: argparse.Namespace) -> AttendanceCompliance:
    _require_reader(user)
    return read.attendance_compliance(*_period(args), args.group_by)


def run_timeliness(read: ReadService, user: User, args: argparse.Namespace) -> MeetingTimeliness:
    _require_reader(user)
    return read.meeting_timeliness(*_period(args))


def run_quality(read: ReadService, user: User, args: argparse.Namespace) -> RecordQuality:
    _require_reader(user)
    return read.record_quality(args.audit_ref)


def run_responses(read: ReadService, user: User, args: argparse.Namespace) -> ResponseHistory:
    _require_reader(user)
    return read.response_history(args.recommendation_id)


def _require_reader(user: User) -> None:
    if user.role not in READERS:
        raise CliError(
            f"the {user.role.value} role may not read this report", ExitCode.UNAUTHORIZED
        )


# Readable tables.


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def render_overdue(report: OverdueActions) -> None:
    print_table(
        f"Overdue actions as of {report.as_of}"
        + (f", as known at {report.known_at:%Y-%m-%d %H:%M}" if report.known_at else ""),
        [
            "agency",
            "description",
            "source",
            "agreed",
            "due",
            "original due",
            "days",
            "working days",
        ],
        (
            (
                r.agency,
                r.description,
                r.source_kind,
                r.agreed_on,
                r.due_on,
                r.original_due_on,
                r.days_overdue,
                r.working_days_overdue,
            )
            for r in report.rows
        ),
    )


def render_attendance(report: AttendanceCompliance) -> None:
    rows = []
    for group in report.groups:
        if not group.meetings_held:
            continue
        cells = {
            a.agency: f"{a.invited} ({_pct(a.invited_pct)}) / {a.attended}" for a in group.agencies
        }
        rows.append(
            (
                group.period if report.group_by == "month" else group.team,
                group.meetings_held,
                *(cells.get(agency, "") for agency in report.statutory_partners),
                f"{group.all_statutory_invited} / {group.all_statutory_attended}",
            )
        )
    print_table(
        f"Attendance at meetings held {report.from_date} to {report.to_date} "
        "(invited (% of held) / attended)",
        [report.group_by, "held", *report.statutory_partners, "all statutory invited/attended"],
        rows,
    )


def render_timeliness(report: MeetingTimeliness) -> None:
    say(
        f"Meetings held {report.from_date} to {report.to_date}: {report.meetings_held}; "
        f"held within {report.meeting_within_working_days} working day(s): "
        f"{report.held_within_standard} ({_pct(report.held_within_standard_pct)}); records "
        f"shared within {report.record_shared_within_working_days} working days: "
        f"{report.records_shared_within_standard} "
        f"({_pct(report.records_shared_within_standard_pct)})"
    )


def render_quality(report: RecordQuality) -> None:
    say(
        f"Record quality under audit {report.audit_ref}: {report.assessed} assessed, "
        f"{report.clear} clear ({_pct(report.clear_pct)}), {report.lacks_clarity} lacking "
        f"clarity ({_pct(report.lacks_clarity_pct)})"
    )


def render_responses(report: ResponseHistory) -> None:
    print_table(
        f"Recommendation {report.number}: {report.text}",
        ["#", "dated", "recorded at", "by", "corrections", "response"],
        (
            (
                r.number,
                r.dated,
                f"{r.recorded_at:%Y-%m-%d %H:%M}",
                r.by,
                len(r.corrections),
                r.text,
            )
            for r in report.responses
        ),
    )
    for change in report.status_changes:
        say(
            f"  {change.effective_on} (recorded {change.recorded_at:%Y-%m-%d}) "
            f"{change.change}: {change.status}"
            f"{f' ({change.rag})' if change.rag else ''} - {change.reason}"
        )


RENDER: dict[type[Any], Callable[[Any], None]] = {
    OverdueActions: render_overdue,
    AttendanceCompliance: render_attendance,
    MeetingTimeliness: render_timeliness,
    RecordQuality: render_quality,
    ResponseHistory: render_responses,
}
ROWS: dict[type[Any], Callable[[Any], Rows]] = {
    OverdueActions: overdue_rows,
    AttendanceCompliance: attendance_rows,
    MeetingTimeliness: timeliness_rows,
    RecordQuality: quality_rows,
    ResponseHistory: response_rows,
}
