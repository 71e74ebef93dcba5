"""``actiontrail audit-log``: every event, filtered, oldest first."""

import argparse

from application.queries import AuditLogQuery
from infrastructure.cli.context import add_token_option
from infrastructure.cli.output import print_json, print_table
from infrastructure.cli.people import actor
from infrastructure.cli.query_options import add_query_options, query_of
from infrastructure.cli.reading import answer
from projections.models import LogPage


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "audit-log",
        description="Every event, oldest first, filtered by aggregate, user, agency, event type "
        "and recorded time; page with --after (the last position printed).",
    )
    add_query_options(parser, AuditLogQuery)
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=audit_log)


def audit_log(args: argparse.Namespace) -> int:
    page: LogPage = answer(args, query_of(AuditLogQuery, args), quiet=args.json)
    if args.json:
        print_json(page)
        return 0
    print_table(
        f"Audit log ({len(page.events)} events; next page: --after {page.next_after})",
        ["#", "recorded at", "event", "aggregate", "v", "by", "effective"],
        (
            (
                e.position,
                f"{e.recorded_at:%Y-%m-%d %H:%M:%S}",
                e.type,
                f"{e.aggregate_label} ({e.aggregate_id})" if e.aggregate_label else e.aggregate_id,
                e.version,
                actor(e.actor),
                e.effective.isoformat() if e.effective else "",
            )
            for e in page.events
        ),
    )
    return 0
