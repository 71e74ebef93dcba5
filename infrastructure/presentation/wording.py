"""Words as a person reads them: "an action", "1 meeting", "2 meetings"."""

from collections.abc import Mapping

#: Plurals that are not the word and an "s".
_PLURALS = {"entry": "entries", "day": "days", "working day": "working days"}


def a(noun: str) -> str:
    """``noun`` with its indefinite article: "a meeting", "an action"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def counted(number: int, singular: str) -> str:
    """``number`` and ``singular`` in the number it takes: "1 meeting", "2 meetings"."""
    if number == 1:
        return f"1 {singular}"
    return f"{number:,} {_PLURALS.get(singular, singular + 's')}"


def counts(by_plural: Mapping[str, int]) -> str:
    """Counts keyed by a plural name ("meetings"), each in its number: "1 meeting, 2 actions"."""
    return ", ".join(counted(n, plural.removesuffix("s")) for plural, n in by_plural.items())
