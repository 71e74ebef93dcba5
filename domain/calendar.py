"""Working days in England and Wales: Monday to Friday less bank holidays (substitute days too).

The day of the event is day 0; "within N working days" means on or before the Nth working day
after it. Bank holidays come from the maintained ``holidays`` package (subdivision ENG covers
England and Wales alike).

Counting is arithmetic, not a walk: weekdays by whole weeks from a fixed Monday, less the
closures (bank holidays and extra closures on weekdays) found by bisecting a sorted list of
them, kept for the years asked about so far.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import holidays


@dataclass(frozen=True)
class WorkingDayCalendar:
    extra_closures: frozenset[date] = field(default_factory=frozenset)

    @cached_property
    def _bank_holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays("GB", subdiv="ENG")

    @cached_property
    def _closures(self) -> "_Closures":
        return _Closures(self)

    def is_bank_holiday(self, day: date) -> bool:
        return day in self._bank_holidays or day in self.extra_closures

    def bank_holidays_of(self, year: int) -> list[date]:
        """The bank holidays of ``year`` (asking about a day of it fills in the whole year)."""
        self.is_bank_holiday(date(year, 1, 1))
        return [day for day in self._bank_holidays if day.year == year]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (day 0 is ``start``).

        Negative when ``end`` is before ``start``; 0 when they fall on the same day or ``end``
        is not past the next working day's start.
        """
        if end < start:
            return -self.working_days_between(end, start)
        weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
        return weekdays - self._closures.on_weekdays_after(start, end)

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start``."""
        day = start
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def within(self, start: date, end: date, working_days: int) -> bool:
        """Whether ``end`` is on or before the ``working_days``-th working day after ``start``.

        That is ``end <= add_working_days(start, working_days)``, counted rather than walked:
        fewer working days than that up to ``end``, or exactly that many with ``end`` the last.
        """
        if end <= start or working_days <= 0:
            return end <= start
        count = self.working_days_between(start, end)
        return count < working_days or (count == working_days and self.is_working_day(end))


ENGLAND_AND_WALES = WorkingDayCalendar()


def _weekdays_up_to(day: date) -> int:
    """Monday to Friday from 1 January of year 1 (a Monday) up to ``day`` inclusive."""
    days = day.toordinal()
    return 5 * (days // 7) + min(days % 7, 5)


class _Closures:
    """The calendar's closures on weekdays, as sorted ordinals over a range of whole years,
    widened when a date outside it is asked about. The range and its list are replaced together,
    never changed in place, so concurrent readers see one or the other."""

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        self.calendar = calendar
        self.span: tuple[int, int, list[int]] = (0, -1, [])

    def on_weekdays_after(self, start: date, end: date) -> int:
        """Closures on weekdays after ``start`` up to and including ``end``."""
        first, last, ordinals = self.span
        if start.year < first or end.year > last:
            if first > last:  # nothing kept yet
                first, last = start.year, end.year
            else:
                first, last = min(start.year, first), max(end.year, last)
            ordinals = self._ordinals(first, last)
            self.span = (first, last, ordinals)
        return bisect_right(ordinals, end.toordinal()) - bisect_right(ordinals, start.toordinal())

    def _ordinals(self, first: int, last: int) -> list[int]:
        days = {d for d in self.calendar.extra_closures if first <= d.year <= last}
        for year in range(first, last + 1):
            for day in self.calendar.bank_holidays_of(year):
                days.add(day)
        return sorted(
            d.toordinal() for d in days if self.calendar.is_bank_holiday(d) and d.weekday() < 5
        )
