"""Completed late: an action completed after the due date in force on its completion date.

One definition for the action's state, its lists and the ``completed-late`` report: the due date
in force on a day is that of the latest revision effective on or before it (in effective order,
ties in the order recorded), else the original; the action was completed late when its
``completed_on`` is after that date, by so many calendar days and working days
(``WorkingDayCalendar.working_days_between``: the due date is day 0).
"""

from dataclasses import dataclass
from datetime import date

from domain.calendar import WorkingDayCalendar


@dataclass(frozen=True)
class Lateness:
    late: bool
    #: Calendar days after the due date (0 when on time).
    days: int
    #: Working days after the due date up to and including the completion date (0 when on
    #: time; 0 too when completed on the first day after it that is not a working day).
    working_days: int


def lateness(due_on: date, completed_on: date, calendar: WorkingDayCalendar) -> Lateness:
    """How late a completion on ``completed_on`` was against the due date ``due_on``."""
    if completed_on <= due_on:
        return Lateness(False, 0, 0)
    days = (completed_on - due_on).days
    return Lateness(True, days, calendar.working_days_between(due_on, completed_on))
