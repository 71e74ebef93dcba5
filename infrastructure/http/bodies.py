"""Request bodies: each command's fields less its target id and envelope.

The bodies are derived from the application's command models, so the contract's field names
and validation live in one place.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from application.commands import Command

ENVELOPE_FIELDS = frozenset({"command_id", "meeting_id", "recommendation_id", "action_id"})


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def body_model(command: type[Command], *, omit: frozenset[str] = frozenset()) -> type[Body]:
    """The JSON body of ``command``: its fields without ids the path or headers supply."""
    fields: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in command.model_fields.items()
        if name not in ENVELOPE_FIELDS | omit
    }
    return create_model(
        command.__name__,
        __base__=Body,
        __doc__=command.__doc__,
        **fields,
    )
