"""Working days in England and Wales: Monday to Friday less bank holidays (substitute days too).

The day of the event is day 0; "within N working days" means on or before the Nth working day
after it. Bank holidays come from the maintained ``holidays`` package (subdivision ENG covers
England and Wales alike).
"""

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

    def is_bank_holiday(self, day: date) -> bool:
        return day in self._bank_holidays or day in self.extra_closures

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (day 0 is ``start``).

        Negative when ``end`` is before ``start``; 0 when they fall on the same day or ``end``
        is not past the next working day's start.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

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
        """Whether ``end`` is on or before the ``working_days``-th working day after ``start``."""
        return end <= self.add_working_days(start, working_days)


ENGLAND_AND_WALES = WorkingDayCalendar()
