"""Representations read from the objects they represent, field by field."""

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def from_attributes(model: type[M], source: object, /, **values: Any) -> M:
    """``model`` with each field read from ``source``'s attribute of the same name, but for the
    fields in ``values``: one ``source`` lacks keeps its default, nested models are read the same
    way, and an enum stands as its value in a field of text (pydantic's lax mode)."""
    read = {
        name: getattr(source, name)
        for name in model.model_fields
        if name not in values and hasattr(source, name)
    }
    return model.model_validate(read | values, from_attributes=True)
