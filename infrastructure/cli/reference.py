"""``actiontrail reference``: every code list, the statutory partners and the timescales."""

import argparse

from application.queries import ReferenceQuery
from infrastructure.cli.context import add_token_option
from infrastructure.cli.output import print_json, print_table, say
from infrastructure.cli.reading import answer
from infrastructure.presentation.reference import Reference


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "reference",
        description="The codes commands, imports and filters accept (agencies as configured), "
        "the statutory partners and the timescales in working days; any signed-in user.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=reference)


def reference(args: argparse.Namespace) -> int:
    data: Reference = answer(args, ReferenceQuery(), quiet=True, catch_up=False)
    if args.json:
        print_json(data)
        return 0
    lists = data.model_dump(exclude={"timescales"})
    print_table(
        "Codes", ["list", "codes"], ((name, ", ".join(codes)) for name, codes in lists.items())
    )
    timescales = data.timescales
    say(
        f"Timescales (working days): meeting held within "
        f"{timescales.meeting_within_working_days} of the concern; record shared within "
        f"{timescales.record_shared_within_working_days} of the meeting."
    )
    return 0
