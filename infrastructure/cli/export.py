"""``actiontrail export``: every read model as a CSV file, for BI tools and board packs."""

import argparse
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

from domain.clock import london_today
from infrastructure.cli.arguments import DAY
from infrastructure.cli.context import (
    add_token_option,
    load_settings,
    open_services,
    signed_in,
)
from infrastructure.cli.output import CliError, ExitCode, print_json, progress_bar, say
from infrastructure.cli.reading import caught_up
from infrastructure.http.access import READERS
from infrastructure.http.tabular import (
    REPORT_COLUMNS,
    Rows,
    attendance_rows,
    log_rows,
    overdue_rows,
    quality_rows,
    response_rows,
    timeliness_rows,
    to_csv,
)
from projections.models import (
    AttendanceCompliance,
    LogEntry,
    LogPage,
    MeetingTimeliness,
    OverdueActions,
    RecordQuality,
    ResponseHistory,
)
from projections.service import MAX_FEED_PAGE, ReadService


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "export",
        help="write every read model as a CSV file",
        description="Write overdue actions, attendance compliance, meeting timeliness, record "
        "quality (every audit), response histories (every recommendation) and the audit log "
        "as CSV files into a directory.",
    )
    parser.add_argument("--dir", type=Path, default=Path("actiontrail-export"), help="where to")
    parser.add_argument("--as-of", type=DAY, help="overdue as of (default today)")
    parser.add_argument("--from", dest="from_date", type=DAY, help="period start")
    parser.add_argument("--to", dest="to_date", type=DAY, help="period end")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=export)


def events_of(read: ReadService, type: str | None = None) -> Iterator[LogEntry]:
    """Every event (of one type), oldest first, page by page."""
    after = 0
    while True:
        page = read.audit_log(type=type, after=after, limit=MAX_FEED_PAGE)
        yield from page.events
        if not page.events:
            return
        after = page.next_after


def exports(read: ReadService, args: argparse.Namespace) -> dict[str, Callable[[], Rows]]:
    end = args.to_date or london_today()
    start = args.from_date or end.replace(day=1) - timedelta(days=335)

    def record_quality() -> Rows:
        refs = sorted(
            {str(e.data["audit_ref"]) for e in events_of(read, "StrategyMeeting.QualityAssessed")}
        )
        return [row for ref in refs for row in quality_rows(read.record_quality(ref))]

    def response_history() -> Rows:
        rows: Rows = []
        for raised in events_of(read, "Recommendation.Raised"):
            history = read.response_history(raised.aggregate_id)
            rows.extend(
                {
                    "recommendation_id": str(raised.aggregate_id),
                    "recommendation": history.number,
                    **row,
                }
                for row in response_rows(history)
            )
        return rows

    return {
        "overdue-actions": lambda: overdue_rows(read.overdue_actions(args.as_of or london_today())),
        "attendance-compliance": lambda: attendance_rows(read.attendance_compliance(start, end)),
        "meeting-timeliness": lambda: timeliness_rows(read.meeting_timeliness(start, end)),
        "record-quality": record_quality,
        "response-history": response_history,
        "audit-log": lambda: log_rows(LogPage(events=list(events_of(read)), next_after=0)),
    }


EXPORT_COLUMNS: dict[str, list[str]] = {
    "overdue-actions": REPORT_COLUMNS[OverdueActions],
    "attendance-compliance": REPORT_COLUMNS[AttendanceCompliance],
    "meeting-timeliness": REPORT_COLUMNS[MeetingTimeliness],
    "record-quality": REPORT_COLUMNS[RecordQuality],
    "response-history": ["recommendation_id", "recommendation", *REPORT_COLUMNS[ResponseHistory]],
    "audit-log": REPORT_COLUMNS[LogPage],
}


def export(args: argparse.Namespace) -> int:
    settings = load_settings()
    written: dict[str, int] = {}
    with open_services(settings) as services:
        signed_in(services.users, args, *READERS)
        try:
            args.dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CliError(f"cannot write to {args.dir}: {error}", ExitCode.USAGE) from None
        jobs = exports(caught_up(services, args.json), args)
        with progress_bar(args.json) as bar:
            task = bar.add_task("exporting", total=len(jobs))
            for name, rows_of in jobs.items():
                rows = rows_of()
                csv_text = to_csv(rows, EXPORT_COLUMNS[name])
                (args.dir / f"{name}.csv").write_text(csv_text, encoding="utf-8")
                written[name] = len(rows)
                bar.advance(task)
    if args.json:
        print_json({"dir": str(args.dir), "files": {f"{n}.csv": c for n, c in written.items()}})
    else:
        say(f"Wrote {len(written)} CSV files to {args.dir}:")
        for name, count in written.items():
            say(f"  {name}.csv: {count} rows")
    return 0
