"""CSV cells a spreadsheet opens as text, never as a formula (CSV injection, CWE-1236).

As OWASP recommends, a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is written with a single quote before it (the csv module quotes the cell as needed).
Numbers are written as numbers: a negative number is data a spreadsheet needs to sum, and
``-3`` cannot run anything; dates and timestamps start with a digit. Only text is neutralised,
so a text cell holding ``-3`` reads ``'-3``.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """``value`` as a CSV cell may hold it: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
