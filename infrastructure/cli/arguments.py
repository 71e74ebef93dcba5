"""Argument types: the application's input types as argparse takes them (a bad value exits 2)."""

import argparse
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from application import inputs
from domain.text import quoted


def typed(kind: Any, example: str) -> Callable[[str], Any]:
    """An argparse ``type`` checking a value against one of ``application.inputs``' types."""
    adapter: TypeAdapter[Any] = TypeAdapter(kind)

    def parse(value: str) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError as error:
            first = error.errors()[0]
            message = first["msg"]
            if first["type"] not in inputs.FORM_ERRORS:  # those name the form and an example
                message += f" (e.g. {example})"
            raise argparse.ArgumentTypeError(f"{quoted(value)}: {message}") from None

    return parse


def checkpoint_number(text: str) -> int:
    """A checkpoint's number (its ``seq``), from 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a checkpoint number, got {quoted(text)}"
        ) from None
    if not 1 <= number <= inputs.MAX_CHECKPOINT:
        raise argparse.ArgumentTypeError(f"a checkpoint number is 1 or more, got {number}")
    return number


DAY = typed(inputs.Day, inputs.DAY_EXAMPLE)
MOMENT = typed(inputs.Moment, inputs.MOMENT_EXAMPLE)
POSITION = typed(inputs.Position, "0")
VERSION = typed(inputs.Version, "1")
PAGE_SIZE = typed(inputs.PageSize, "100")
CODE = typed(inputs.Code, "health")
TITLE = typed(inputs.Title, "Gill Smith")


def add_format_options(parser: argparse.ArgumentParser, csv_help: str) -> None:
    """``--json`` or ``--csv`` (not both); a readable table without either."""
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help=csv_help)
