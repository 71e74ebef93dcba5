"""``actiontrail audit-log``: every event, filtered, oldest first."""

import argparse
from uuid import UUID

from infrastructure.cli.arguments import CODE, MOMENT, POSITION
from infrastructure.cli.context import (
    add_token_option,
    load_settings,
    open_services,
    signed_in,
)
from infrastructure.cli.output import print_json, print_table
from infrastructure.cli.reading import caught_up
from infrastructure.http.access import READERS


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "audit-log",
        help="every event: who changed what, when; filtered",
        description="Every event, oldest first, filtered by aggregate, user, agency, event type "
        "and recorded time; page with --after (the last position printed).",
    )
    parser.add_argument("--aggregate-id", type=UUID)
    parser.add_argument(
        "--aggregate-type",
        choices=["StrategyMeeting", "Recommendation", "AgencyAction", "ProjectionSkip"],
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
    parser.add_argument("--limit", type=int, default=100, help="at most this many (max 1000)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=audit_log)


def audit_log(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        signed_in(services.users, args, *READERS)
        read = caught_up(services, args.json)
        page = read.audit_log(
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
                e.aggregate_id,
                e.version,
                f"{e.actor.user} ({e.actor.role.value}"
                + (f", {e.actor.agency})" if e.actor.agency else ")"),
                e.effective.isoformat() if e.effective else "",
            )
            for e in page.events
        ),
    )
    return 0
