"""A row's values in column order, converted for a driver, in one call per row."""

from collections.abc import Callable, Sequence
from typing import Any

from projections.writing import Row

Encode = Callable[[Any], Any]
RowValues = Callable[[Row], tuple[Any, ...]]


def row_values(names: Sequence[str], encoders: Sequence[Encode | None]) -> RowValues:
    """``row`` to the tuple of its values under ``names``, each through its encoder (None: as
    it is).

    Compiled once per table into one expression, as ``dataclasses`` compiles ``__init__``: a
    rebuild converts millions of rows, and a loop over the columns costs more than the values'
    own conversions. ``names`` are the table's column names (code, not input).
    """
    namespace = {f"encode_{i}": encode for i, encode in enumerate(encoders) if encode is not None}
    items = [
        f"row[{name!r}]" if encode is None else f"encode_{i}(row[{name!r}])"
        for i, (name, encode) in enumerate(zip(names, encoders, strict=True))
    ]
    values: RowValues = eval(f"lambda row: ({', '.join(items)},)", namespace)
    return values
