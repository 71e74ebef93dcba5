"""``actiontrail audit-log``: every event, filtered, oldest first."""

import argparse
from uuid import UUID

from application.inputs import MAX_PAGE
from application.queries import AuditLogQuery
from infrastructure.cli.arguments import CODE, MOMENT, PAGE_SIZE, POSITION
from infrastructure.cli.context import (
    add_token_option,
    asking,
    load_settings,
    open_services,
)
from infrastructure.cli.output import print_json, print_table
from infrastructure.cli.people import actor
from infrastructure.cli.reading import reading


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "audit-log",
        description="Every event, oldest first, filtered by aggregate, user, agency, event type "
        "and recorded time; page with --after (the last position printed).",
    )
    parser.add_argument("--aggregate-id", type=UUID)
    parser.add_argument(
        "--aggregate-type",
        type=CODE,
        help="StrategyMeeting, Recommendation, AgencyAction or ProjectionSkip",
    )
    parser.add_argument("--user", type=CODE, help="the actor's user id")
    parser.add_argument(
        "--agency", type=CODE, help="the actor's agency or the agency an event names"
    )
    parser.add_argument("--type", type=CODE, help="an event type, e.g. AgencyAction.Completed")
    parser.add_argument(
        "--from", dest="recorded_from", type=MOMENT, help="recorded at or after (timestamp)"
    )
    parser.add_argument(
        "--to", dest="recorded_to", type=MOMENT, help="recorded at or before (timestamp)"
    )
    parser.add_argument("--after", type=POSITION, default=0, help="events after this position")
    parser.add_argument(
        "--limit", type=PAGE_SIZE, default=100, help=f"at most this many (1-{MAX_PAGE})"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=audit_log)


def audit_log(args: argparse.Namespace) -> int:
    settings = load_settings()
    query = AuditLogQuery(
        aggregate_id=args.aggregate_id,
        aggregate_type=args.aggregate_type,
        user=args.user,
        agency=args.agency,
        type=args.type,
        recorded_from=args.recorded_from,
        recorded_to=args.recorded_to,
        after=args.after,
        limit=args.limit,
    )
    with open_services(settings) as services:
        user = asking(services.users, args, AuditLogQuery)
        page = reading(services, args.json).audit_log(user.actor, query)
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
