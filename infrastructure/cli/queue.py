"""``actiontrail queue``: agency submissions waiting for governance, oldest first.

Decide a due-date proposal over HTTP: ``POST /actions/{id}/due-date/accept`` or ``/decline``.
"""

import argparse
import sys

from application.queries import QueueQuery
from domain.reference import agency_name
from infrastructure.cli.arguments import add_format_options
from infrastructure.cli.context import add_token_option
from infrastructure.cli.output import print_json, print_table
from infrastructure.cli.people import person
from infrastructure.cli.reading import answer
from infrastructure.presentation.reports import WORK_QUEUE
from projections.models import WorkQueue


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
    result: WorkQueue = answer(args, QueueQuery(), quiet=args.json or args.csv)
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
