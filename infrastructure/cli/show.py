"""``actiontrail show ID``: the state of one record, now or as it stood on a day and/or as known
at a time (``history`` without the events)."""

import argparse

from infrastructure.cli.history import POINT_HELP, add_arguments, show


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "show",
        description=f"Print the state of one meeting, recommendation or action. {POINT_HELP}",
    )
    add_arguments(parser)
    parser.set_defaults(run=show)
