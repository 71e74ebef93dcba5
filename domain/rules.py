"""Checks shared by all aggregates."""

from datetime import date, datetime

from domain.clock import london_today, utc_now
from domain.errors import FutureDate, InvalidInput, ReasonRequired
from domain.text import describe, forbidden_character


def require_text(value: str, what: str) -> str:
    """Trimmed text, neither blank nor holding a control character."""
    text = value.strip()
    if not text:
        if what == "reason":
            raise ReasonRequired("a reason is required")
        raise InvalidInput(f"{what} must not be blank")
    char = forbidden_character(text, multiline=True)
    if char is not None:
        raise InvalidInput(f"{what} must not contain the control character {describe(char)}")
    return text


def require_past(moment: datetime, what: str) -> datetime:
    """A moment that describes something done cannot lie in the future."""
    if moment > utc_now():
        raise FutureDate(f"{what} {moment.isoformat()} lies in the future")
    return moment


def require_past_date(day: date, what: str) -> date:
    if day > london_today():
        raise FutureDate(f"{what} {day.isoformat()} lies in the future")
    return day
