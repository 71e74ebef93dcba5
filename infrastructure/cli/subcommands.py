"""A command's subcommands, each declared in one call: its name, what it runs, its texts and
its arguments; ``--json`` and ``--token`` come last unless a subcommand does without them."""

import argparse
from collections.abc import Callable
from typing import Any

from infrastructure.cli.context import add_token_option


class Argument:
    """One ``add_argument`` call, declared before the parser it goes on."""

    def __init__(self, *names: str, **options: Any) -> None:
        self.names, self.options = names, options


JSON = Argument("--json", action="store_true", help="print JSON")


def add_subcommand(  # noqa: PLR0913 - a subcommand's whole declaration, in one call
    actions: "argparse._SubParsersAction[argparse.ArgumentParser]",
    name: str,
    run: Callable[[argparse.Namespace], int],
    *arguments: Argument,
    json: bool = True,
    token: bool = True,
    help: str,
    description: str | None = None,
) -> None:
    parser = actions.add_parser(name, help=help, description=description)
    for argument in (*arguments, JSON) if json else arguments:
        parser.add_argument(*argument.names, **argument.options)
    if token:
        add_token_option(parser)
    parser.set_defaults(run=run)
