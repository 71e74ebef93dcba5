"""Checks shared by all aggregates."""

from datetime import date, datetime

from domain.clock import london_today, utc_now
from domain.errors import FutureDate, InvalidInput, ReasonRequired


def require_text(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        if what == "reason":
            raise ReasonRequired("a reason is required")
        raise InvalidInput(f"{what} must not be blank")
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
