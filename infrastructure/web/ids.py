"""A path's id that is not a UUID, which the API and the console answer as an unknown id."""

from collections.abc import Sequence
from typing import Any


def is_malformed_id(errors: Sequence[Any]) -> bool:
    """A path's id that is not a UUID: no record has it (404, as for an unknown id)."""
    return bool(errors) and all(
        e.get("loc", ("",))[0] == "path" and e.get("type") == "uuid_parsing" for e in errors
    )
