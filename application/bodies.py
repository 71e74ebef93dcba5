"""Command bodies: each command's fields less its key and its target id.

HTTP request bodies and the rows of an import file are derived from the command models, so the
contract's field names and validation live in one place.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from application.commands import Command


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def body_model(
    command: type[Command],
    *,
    omit: frozenset[str] = frozenset(),
    name: str | None = None,
    **extra: Any,
) -> type[Body]:
    """The fields of ``command`` a caller supplies: all but its key (``command_id``), its target
    id and ``omit``; ``extra`` adds fields (``name: (type, default)``), as pydantic's
    ``create_model`` takes them."""
    envelope = {"command_id", command.target_field}
    fields: dict[str, Any] = {
        field: (info.annotation, info)
        for field, info in command.model_fields.items()
        if field not in envelope | omit
    }
    return create_model(
        name or command.__name__,
        __base__=Body,
        __doc__=command.__doc__,
        **fields,
        **extra,
    )
