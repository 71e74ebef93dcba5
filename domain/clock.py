"""The one place that reads the time.

Event timestamps come from here. ``time.time()`` is what freezegun freezes, and the result is
built with the real ``datetime`` class, never freezegun's ``FakeDatetime`` (which the event
transcoder would reject). freezegun swaps every module attribute that holds the real class for
its subclass, so the real class is found at call time in the method resolution order.
"""

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def _real_datetime() -> type[datetime]:
    return next(
        k for k in datetime.__mro__ if k.__module__ == "datetime" and k.__name__ == "datetime"
    )


def utc_now() -> datetime:
    """The current time in UTC, as a real ``datetime``."""
    return _real_datetime().fromtimestamp(time.time(), tz=UTC)


def as_utc(moment: datetime) -> datetime:
    """A timezone-aware moment normalised to UTC, as a real ``datetime``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"timestamp {moment.isoformat()} has no UTC offset")
    utc = moment.astimezone(UTC)
    return _real_datetime()(
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
        utc.microsecond,
        tzinfo=UTC,
    )


def real_time_value(value: object) -> object:
    """Dates and times as instances of the real classes (freezegun makes subclasses)."""
    if isinstance(value, datetime):
        return as_utc(value) if type(value) is not _real_datetime() else value
    if isinstance(value, date) and type(value).__module__ != "datetime":
        return _real_date()(value.year, value.month, value.day)
    return value


def _real_date() -> type[date]:
    return next(k for k in date.__mro__ if k.__module__ == "datetime" and k.__name__ == "date")


def london_date(moment: datetime) -> date:
    """The calendar date of a moment in Europe/London (the handbook's rule)."""
    return as_utc(moment).astimezone(LONDON).date()


def london_today() -> date:
    return london_date(utc_now())
