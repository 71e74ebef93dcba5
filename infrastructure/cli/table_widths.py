"""How wide each column of a table is, so that it fits the terminal without splitting a word.

Rich, left to itself in a narrow terminal, splits a word or a date across lines ("Reitera /
te", "2024-01- / 08"). Here every column is at least as wide as the longest word of its header
and its longest figure (dates, times, numbers: never cut), and, as far as the width allows, its
longest word (a word longer than the column is cut with "…", never split); what is left goes to
the columns whose text is longest. Text then wraps at word boundaries within its column. A table
too wide for its borders drops them (``compact``: a space between columns).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Words as long as these may be cut to fit (tried in turn, longest first).
WORD_LIMITS = (16, 12, 10, 8, 6)
_FIGURE = re.compile(r"^[\d(+-][\d\-:.,%/()+ ]*$")


@dataclass(frozen=True)
class Fit:
    #: Each column's width; None: the table fits as it is.
    widths: list[int] | None
    #: Without borders and padding: a space between columns.
    compact: bool = False


def _longest_word(text: str, limit: int | None = None) -> int:
    lengths = [len(word) for word in text.split()]
    if not lengths:
        return 0
    return max(lengths) if limit is None else max(min(n, limit) for n in lengths)


def _longest_figure(text: str) -> int:
    return len(text) if _FIGURE.match(text) else 0


def fit(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> Fit:
    """The widths of ``columns`` holding ``rows`` in ``width`` characters."""
    count = len(columns)
    natural = [
        max([len(header), *(len(row[i]) for row in rows)]) for i, header in enumerate(columns)
    ]
    bordered, compact = 3 * count + 1, count - 1
    if sum(natural) + bordered <= width:
        return Fit(None)
    floor = [
        max([_longest_word(header), *(_longest_figure(row[i]) for row in rows)])
        for i, header in enumerate(columns)
    ]
    for limit in WORD_LIMITS:
        least = [
            max([floor[i], *(_longest_word(row[i], limit) for row in rows)]) for i in range(count)
        ]
        for overhead, is_compact in ((bordered, False), (compact, True)):
            spare = width - overhead - sum(least)
            if spare >= 0:
                return Fit(_grown(least, natural, spare), is_compact)
    return Fit(floor, True)


def _grown(least: list[int], natural: list[int], spare: int) -> list[int]:
    """``least`` with ``spare`` columns shared out by how much more each column's text needs."""
    widths = list(least)
    wanting = [n - w for n, w in zip(natural, widths, strict=True)]
    total = sum(wanting)
    if total <= 0:
        return widths
    for i, want in enumerate(wanting):
        widths[i] += min(want, spare * want // total)
    return widths
