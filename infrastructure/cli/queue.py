"""``actiontrail queue``: agency submissions waiting for governance, oldest first.

Decide a due-date proposal over HTTP: ``POST /actions/{id}/due-date/accept`` or ``/decline``.
"""

import argparse
import sys

from application.queries import QueueQuery
from domain.reference import agency_name
from infrastructure.cli.arguments import add_format_options
from infrastructure.cli.context import add_token_option, asking, load_settings, open_services
from infrastructure.cli.output import print_json, print_table
from infrastructure.cli.people import person
from infrastructure.cli.reading import reading
from infrastructure.presentation.reports import WORK_QUEUE


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "queue",
        description="Agency submissions waiting for governance (today: proposed due dates), "
        "oldest first, with the working days each has waited. Governance and inspectors.",
    )
    add_format_options(parser, "print CSV, the JSON items' columns")
    add_token_option(parser)
    parser.set_defaults(run=queue)


def queue(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        user = asking(services.users, args, QueueQuery)
        result = reading(services, args.json or args.csv).work_queue(user.actor, QueueQuery())
    if args.json:
        print_json(result)
    elif args.csv:
        sys.stdout.write(WORK_QUEUE.csv(result))
    else:
        print_table(
            f"Waiting for governance on {result.as_of}: {len(result.items)}",
            ["submitted", "waiting", "kind", "agency", "action", "due", "proposed", "from", "by"],
            (
                (
                    f"{i.submitted_at:%Y-%m-%d %H:%M}",
                    f"{i.working_days_waiting} working days",
                    i.kind,
                    agency_name(i.agency),
                    f"{i.action_id} {i.description}",
                    i.due_on,
                    i.proposed_due_on or "",
                    i.effective_on or "",
                    person(i.submitted_by, i.submitted_by_name),
                )
                for i in result.items
            ),
        )
    return 0
