"""A query's declared fields as command-line options (``application.queries.asked_fields``).

Each field is ``--<public name>`` (``_`` as ``-``), or a positional argument, typed by its input
type: a bad value exits 2 naming the expected form, an unknown code naming the valid ones.
"""

import argparse
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin
from uuid import UUID

from application import inputs
from application.queries import AskedField, Query, asked_fields
from domain.codes import Code
from domain.text import quoted
from infrastructure.cli.arguments import checkpoint_number, typed
from infrastructure.presentation.synopses import metavar, option_name

Q = TypeVar("Q", bound=Query)
#: Each input type's example, as a bad value's message gives it.
EXAMPLES = (
    (inputs.Day, inputs.DAY_EXAMPLE),
    (inputs.Moment, inputs.MOMENT_EXAMPLE),
    (inputs.Position, "0"),
    (inputs.PageSize, "100"),
    (inputs.Version, "1"),
    (inputs.Code, "health"),
)


def add_query_options(
    parser: argparse.ArgumentParser,
    query: type[Query],
    *,
    optional: bool = False,
    types: Mapping[str, Callable[[str], Any]] | None = None,
) -> None:
    """An option (or positional argument) for each field of ``query`` a user gives; options of
    one ``one_of`` group exclude each other. ``optional``: no option required by the parser
    (one with subcommands of its own, whose command checks them); ``types``: a field's value
    read otherwise than by its input type."""
    groups: dict[str, Any] = {}
    for field in asked_fields(query):
        options: dict[str, Any] = {"help": field.description or None, "dest": field.field}
        options |= _typed(field)
        if types and field.field in types:
            options["type"] = types[field.field]
        if field.positional:
            del options["dest"]
            options["metavar"] = field.name.upper()
            parser.add_argument(field.field, **options)
            continue
        options["default"] = None if field.required else field.default
        if field.required and not optional:
            options["required"] = True
        where: Any = parser
        if field.one_of is not None:
            if field.one_of not in groups:
                groups[field.one_of] = parser.add_mutually_exclusive_group()
            where = groups[field.one_of]
        where.add_argument(option_name(field), **options)


def query_of(query: type[Q], args: argparse.Namespace) -> Q:
    """The query of the options ``add_query_options`` added."""
    return query(**{field.field: getattr(args, field.field) for field in asked_fields(query)})


def _typed(field: AskedField) -> dict[str, Any]:
    kind = field.value_type
    if get_origin(kind) is Literal:
        return {"choices": get_args(kind), "metavar": metavar(field)}
    if isinstance(kind, type) and issubclass(kind, Code):
        valid = ", ".join(code.value for code in kind)
        help = f"{field.description}: {valid}"
        return {"type": _code(kind, valid), "metavar": "CODE", "help": help}
    if kind is UUID:
        return {"type": UUID, "metavar": metavar(field)}
    if kind == inputs.CheckpointSeq:
        return {"type": checkpoint_number, "metavar": metavar(field)}
    example = next((e for known, e in EXAMPLES if known == kind), "")
    return {"type": typed(kind, example), "metavar": metavar(field)}


def _code(kind: type[Code], valid: str) -> Callable[[str], Code]:
    """One of ``kind``'s codes; an unknown one exits 2 naming them all."""

    def parse(value: str) -> Code:
        try:
            return kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{quoted(value)}: expected one of {valid}") from None

    return parse
