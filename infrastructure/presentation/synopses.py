"""The docs' parameter lines of each query, from its declared fields (``asked_fields``).

``http_synopsis`` is a route as docs/api-contract.md lists it (``GET /reports/attendance-
compliance?from=&to=&group_by=month&known_at=``); ``cli_synopsis`` the options as docs/cli.md
lists them (``[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--group-by month|team] ...``). A test holds
the docs to these, so a field added to a query is documented everywhere or fails.
"""

from typing import Literal, get_args, get_origin
from uuid import UUID

from application import inputs
from application.queries import AskedField, Query, asked_fields

#: How the CLI's synopsis writes a value of each input type.
METAVARS = (
    (inputs.Day, "YYYY-MM-DD"),
    (inputs.Moment, "TIMESTAMP"),
    (inputs.Position, "POSITION"),
    (inputs.PageSize, "N"),
    (inputs.Version, "N"),
    (inputs.CheckpointSeq, "CHECKPOINT"),
)


def http_synopsis(path: str, query: type[Query]) -> str:
    """``GET <path>?<name>=&...``, a positional field as a ``{segment}`` of the path; a default
    other than none shown after its name."""
    fields = asked_fields(query)
    path += "".join(f"/{{{f.name}}}" for f in fields if f.positional)
    named = [f"{f.name}={_shown_default(f)}" for f in fields if not f.positional]
    return f"GET {path}" + (f"?{'&'.join(named)}" if named else "")


def cli_synopsis(query: type[Query]) -> str:
    """The options of ``query``: ``[--name VALUE]``, a required one without brackets, a
    positional one as its public name in capitals, options that exclude each other as one
    ``[--a A | --b B]``."""
    parts: list[str] = []
    group: str | None = None
    for field in asked_fields(query):
        if field.positional:
            parts.append(field.name.upper())
        elif field.one_of is not None and field.one_of == group:
            parts[-1] = f"{parts[-1][:-1]} | {option(field)}]"
        else:
            parts.append(option(field) if field.required else f"[{option(field)}]")
        group = field.one_of
    return " ".join(parts)


def option(field: AskedField) -> str:
    """``--<public name> VALUE``."""
    return f"{option_name(field)} {metavar(field)}"


def option_name(field: AskedField) -> str:
    """The field's option, ``--<public name>`` with ``_`` as ``-``."""
    return f"--{field.name.replace('_', '-')}"


def _shown_default(field: AskedField) -> str:
    default = field.default
    return "" if field.required or default is None or isinstance(default, int) else str(default)


def metavar(field: AskedField) -> str:
    """How a synopsis (and the CLI's help) writes the field's value."""
    kind = field.value_type
    if get_origin(kind) is Literal:
        return "|".join(str(choice) for choice in get_args(kind))
    if kind is UUID:
        return "ID"
    return next((name for known, name in METAVARS if known == kind), "CODE")
