"""The one order facts are applied in: the day they took effect, ties in the order recorded.

Every fold of a record's events uses it: an aggregate's current state and its state as of a
day (``TrailAggregate``), and the read models that keep effective-time timelines
(``projections.overdue``, the lists). An event that describes something that happened in the
world says when (``effective``: a date, or a time whose London date counts); the others take
effect on the London date they were recorded.
"""

from datetime import date, datetime
from typing import Protocol

from domain.clock import LONDON, london_date


class Dated(Protocol):
    """An event, as far as its place in time goes."""

    @property
    def timestamp(self) -> datetime: ...

    @property
    def effective(self) -> date | datetime | None: ...


def effective_day(event: Dated) -> date:
    """The London date an event took effect: its own effective date, or the day recorded.

    Events' times are UTC-aware already (``domain.clock`` made them), so they are converted
    directly: this runs for every event an aggregate loads."""
    effective = event.effective
    if effective is None:
        effective = event.timestamp
    if isinstance(effective, datetime):
        if effective.tzinfo is None:
            return london_date(effective)  # refused there: an event's time has an offset
        return effective.astimezone(LONDON).date()
    return effective


def effective_order(day: date, sequence: int) -> tuple[date, int]:
    """The key facts are applied by: the day they took effect, then the order they were
    recorded (an aggregate's version, or a position in the log: both follow recorded order)."""
    return (day, sequence)


def human_date(day: date) -> str:
    """A date as a person reads it: ``15 December 2023``."""
    return f"{day.day} {day:%B %Y}"
