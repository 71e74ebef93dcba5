"""What text the trail keeps: Unicode a person can read, without control characters.

Refused, not stored: C0 and C1 controls (NUL, escape sequences...), lone surrogates, the Unicode
line and paragraph separators, and the invisible format characters (category Cf) text does not
need, above all the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069), which make text read otherwise than it is stored. Some stores cannot hold them,
and a reader cannot see them. Accepted: the format characters real text needs (``TEXT_FORMAT``):
the zero-width joiner of emoji (👩‍⚕️) and of Indic scripts, the zero-width non-joiner of Persian
and Indic names, the soft hyphen, the word joiner, and the left-to-right, right-to-left and
Arabic letter marks that place a number or a Latin word in right-to-left text (marks, unlike
overrides, cannot make text read in another order). Long free text (notes, descriptions,
reasons) may hold line breaks and tabs; codes and titles are one line.
"""

import unicodedata

#: Control (Cc), format (Cf) and surrogate (Cs) characters, and the Unicode line separators.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: The format characters (Cf) that real text needs, accepted.
TEXT_FORMAT = frozenset(
    {
        "\u00ad",  # SOFT HYPHEN
        "\u061c",  # ARABIC LETTER MARK
        "\u200c",  # ZERO WIDTH NON-JOINER
        "\u200d",  # ZERO WIDTH JOINER
        "\u200e",  # LEFT-TO-RIGHT MARK
        "\u200f",  # RIGHT-TO-LEFT MARK
        "\u2060",  # WORD JOINER
    }
)
LINE_BREAKS = frozenset("\n\r\t")


def forbidden_character(text: str, *, multiline: bool) -> str | None:
    """The first character ``text`` may not hold, or None; line breaks pass when multiline."""
    if text.isprintable():
        return None
    for char in text:
        if char.isprintable() or char in TEXT_FORMAT or (multiline and char in LINE_BREAKS):
            continue
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            return char
    return None


#: How much of a value from outside a message quotes (the API's problems, the CLI's errors).
EXCERPT = 80


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """``value`` as text, cut short (with "…"): a message never echoes a large value."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: object, limit: int = EXCERPT) -> str:
    """A value from outside as a message quotes it: a text in quotes, anything else as its
    repr, at most ``limit`` characters of it."""
    return repr(excerpt(value, limit)) if isinstance(value, str) else excerpt(repr(value), limit)


def describe(char: str) -> str:
    """A character as an error message names it, e.g. ``U+0000`` or ``U+202E RIGHT-TO-...``."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
