"""What text the trail keeps: Unicode a person can read, without control characters.

A NUL byte, an escape sequence, a bidirectional override or a lone surrogate is refused, not
stored: some stores cannot hold them, and a reader cannot see them. Long free text (notes,
descriptions, reasons) may hold line breaks and tabs; codes and titles are one line.
"""

import unicodedata

#: Control (Cc), format (Cf) and surrogate (Cs) characters, and the Unicode line separators.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
LINE_BREAKS = frozenset("\n\r\t")


def forbidden_character(text: str, *, multiline: bool) -> str | None:
    """The first character ``text`` may not hold, or None; line breaks pass when multiline."""
    if text.isprintable():
        return None
    for char in text:
        if char.isprintable() or (multiline and char in LINE_BREAKS):
            continue
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            return char
    return None


def describe(char: str) -> str:
    """A character as an error message names it, e.g. ``U+0000`` or ``U+202E RIGHT-TO-...``."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
