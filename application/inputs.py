"""The shapes every value from outside must have: the command models, the importer's rows, the
CLI and the HTTP query parameters all use these types, so a limit is set in one place.

Text is trimmed Unicode without control characters (``domain.text``); only long free text may
hold line breaks and tabs. Numbers, lists, dates and timestamps are bounded, so that nothing
accepted here can overflow a store, a read model or a date computation later.
"""

from collections.abc import Collection
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from domain.errors import InvalidInput
from domain.text import describe, forbidden_character, quoted

MAX_CODE = 100
MAX_TITLE = 500
MAX_TEXT = 20_000
MAX_ITEMS = 100
MAX_COUNT = 1_000_000
MAX_VERSION = 2**31 - 1
MAX_POSITION = 2**63 - 1
MAX_CHECKPOINT = 2**62
MAX_PAGE = 1000
FIRST_YEAR = 1900
LAST_YEAR = 2100

T = TypeVar("T")


def _checker(multiline: bool) -> AfterValidator:
    def check(value: str) -> str:
        char = forbidden_character(value, multiline=multiline)
        if char is not None:
            where = "" if multiline else " or line break"
            raise PydanticCustomError(
                "control_character",
                "must not contain a control character{where} (found {char})",
                {"where": where, "char": describe(char)},
            )
        return value

    return AfterValidator(check)


def _trimmed(max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


def _in_range(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "year_out_of_range",
            "must lie in the years {first} to {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


#: The forms dates and timestamps take, as error messages name them.
DAY_EXAMPLE = "2026-11-25"
MOMENT_EXAMPLE = "2026-11-25T09:00:00Z"
DAY_FORM = f"an ISO 8601 date, YYYY-MM-DD, e.g. {DAY_EXAMPLE}"
MOMENT_FORM = f"an ISO 8601 timestamp with offset, e.g. {MOMENT_EXAMPLE}"
#: The error types whose message names the expected form, example included.
FORM_ERRORS = frozenset({"date_form", "timestamp_form"})
#: Pydantic's errors whose message says less than this.
_REASONS = {
    "timezone_aware": "it has no UTC offset",
    "date_from_datetime_inexact": "it has a time of day",
    "date_type": "it is not text",
    "datetime_type": "it is not text",
}


def _expecting(kind: str, form: str) -> WrapValidator:
    """A date or timestamp that cannot be read says what was wrong and which form is expected.

    Pydantic's own message, e.g. "invalid character in year", is kept as the reason.
    """

    def check(value: Any, read: ValidatorFunctionWrapHandler) -> Any:
        try:
            return read(value)
        except ValidationError as error:
            first = error.errors()[0]
            reason = _REASONS.get(first["type"]) or str(first["msg"]).split(", ", 1)[-1]
            raise PydanticCustomError(
                kind, "expected {form} ({reason})", {"form": form, "reason": reason}
            ) from None

    return WrapValidator(check)


#: A code or reference: agency, role, team, case or audit reference, one line.
Code = Annotated[str, _trimmed(MAX_CODE), _checker(multiline=False)]
#: A short title or name, one line.
Title = Annotated[str, _trimmed(MAX_TITLE), _checker(multiline=False)]
#: Long free text: descriptions, notes, reasons, rationale, evidence, response text.
Text = Annotated[str, _trimmed(MAX_TEXT), _checker(multiline=True)]

#: A count of things, e.g. a sample size or a measure's numerator.
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
#: A number given by people, from 1, e.g. a recommendation's number.
Number = Annotated[int, Field(ge=1, le=MAX_COUNT)]
#: An aggregate's version, from 1.
Version = Annotated[int, Field(ge=1, le=MAX_VERSION)]
#: A checkpoint of the log, by its number (``seq``), from 1.
CheckpointSeq = Annotated[int, Field(ge=1, le=MAX_CHECKPOINT)]
#: A place in the global log; 0 is before the first event.
Position = Annotated[int, Field(ge=0, le=MAX_POSITION)]
#: How many entries one page of a list holds.
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE)]
#: ... when not asked: one page of every list, log and feed (the API, the CLI, the console).
DEFAULT_PAGE = 100

#: A calendar date in the years the trail covers.
Day = Annotated[date, _expecting("date_form", DAY_FORM), AfterValidator(_in_range)]
#: A timestamp with a UTC offset, in the years the trail covers.
Moment = Annotated[
    AwareDatetime, _expecting("timestamp_form", MOMENT_FORM), AfterValidator(_in_range)
]

#: A list of at most ``MAX_ITEMS`` items.
Items = Annotated[list[T], Field(max_length=MAX_ITEMS)]


class InvalidFilter(InvalidInput):
    """A filter or period of a read that could only ever answer nothing, or the wrong thing:
    refused (422, exit 2) rather than answered empty."""

    title = "Invalid filter"


class ReversedPeriod(InvalidFilter):
    """A period, e.g. ``from`` and ``to`` of a filter, whose start is after its end."""

    title = "Period start after its end"


class UnknownFilterCode(InvalidFilter):
    """A filter naming a code, e.g. an agency or an event type, that no record can hold."""

    title = "Unknown code in a filter"


def require_ordered(start: date | None, end: date | None, names: tuple[str, str]) -> None:
    """Refuse a period that starts after it ends: it could only ever answer nothing.

    ``start`` and ``end`` are both dates or both timestamps (a ``datetime`` is a ``date``).
    """
    if start is not None and end is not None and start > end:
        first, last = names
        raise ReversedPeriod(
            f"{first} ({start.isoformat()}) is after {last} ({end.isoformat()}); "
            f"a period starts on or before it ends"
        )


def require_known(value: str | None, known: Collection[str], name: str) -> None:
    """Refuse a filter value that is none of the ``known`` codes, naming them all."""
    if value is not None and value not in known:
        raise UnknownFilterCode(f"unknown {name} {quoted(value)}; valid values: {', '.join(known)}")
