"""The partnership's settings the reports apply: statutory partners, timescales, calendar.

Projections store facts; the definitions (working days, timescales) apply at query time, so a
change of settings needs no rebuild.
"""

from dataclasses import dataclass

from domain.calendar import ENGLAND_AND_WALES, WorkingDayCalendar


@dataclass(frozen=True)
class Standards:
    statutory_partners: tuple[str, ...]
    meeting_within_working_days: int
    record_shared_within_working_days: int
    calendar: WorkingDayCalendar = ENGLAND_AND_WALES
