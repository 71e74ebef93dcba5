"""Values as people read them on a terminal, not as Python writes them: ``-`` for nothing,
``true``/``false``, lists and objects spelled out."""

from collections.abc import Mapping
from typing import Any

#: What an absent value or an empty list reads as.
NOTHING = "-"


def readable(value: Any) -> str:
    """One value on one line: an object as ``name: value; ...``, a list as ``a, b`` (its objects
    in brackets)."""
    if value is None or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {readable(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(
            f"({readable(item)})" if isinstance(item, Mapping) else readable(item) for item in value
        )
    return str(value)


def field_lines(fields: Mapping[str, Any], indent: str = "  ") -> list[str]:
    """One line per field; a list of objects gets one line per object, under its field."""
    lines: list[str] = []
    for name, value in fields.items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            lines.append(f"{indent}{name}:")
            lines.extend(f"{indent}  - {readable(item)}" for item in value)
        else:
            lines.append(f"{indent}{name}: {readable(value)}")
    return lines
