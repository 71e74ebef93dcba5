from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import ENGLAND_AND_WALES, WorkingDayCalendar


@pytest.mark.parametrize(
    ("day", "is_holiday"),
    [
        (date(2023, 8, 28), True),  # summer bank holiday (England and Wales)
        (date(2023, 8, 7), False),  # Scotland's summer bank holiday only
        (date(2023, 3, 17), False),  # St Patrick's Day: Northern Ireland only
        (date(2022, 12, 27), True),  # substitute day for Christmas on a Sunday
        (date(2021, 12, 28), True),  # substitute day for Boxing Day on a Sunday
        (date(2023, 5, 8), True),  # coronation bank holiday
        (date(2024, 1, 2), False),  # Scotland only
    ],
)
def test_bank_holidays_of_england_and_wales(day: date, is_holiday: bool) -> None:
    assert ENGLAND_AND_WALES.is_bank_holiday(day) is is_holiday


def test_day_of_the_event_is_day_zero() -> None:
    friday = date(2023, 6, 16)
    assert ENGLAND_AND_WALES.working_days_between(friday, friday) == 0
    assert ENGLAND_AND_WALES.working_days_between(friday, date(2023, 6, 17)) == 0  # Saturday
    assert ENGLAND_AND_WALES.working_days_between(friday, date(2023, 6, 19)) == 1  # Monday


def test_working_days_skip_a_bank_holiday_week() -> None:
    friday_before = date(2023, 8, 25)
    assert ENGLAND_AND_WALES.add_working_days(friday_before, 1) == date(2023, 8, 29)
    assert ENGLAND_AND_WALES.add_working_days(friday_before, 3) == date(2023, 8, 31)
    assert ENGLAND_AND_WALES.working_days_between(friday_before, date(2023, 9, 1)) == 4


def test_within_three_working_days_means_on_or_before_the_third() -> None:
    thursday = date(2023, 8, 24)
    third = ENGLAND_AND_WALES.add_working_days(thursday, 3)
    assert third == date(2023, 8, 30)
    assert ENGLAND_AND_WALES.within(thursday, third, 3)
    assert not ENGLAND_AND_WALES.within(thursday, date(2023, 8, 31), 3)


def test_negative_span_counts_backwards() -> None:
    assert ENGLAND_AND_WALES.working_days_between(date(2023, 6, 19), date(2023, 6, 16)) == -1


def _day_by_day(calendar: WorkingDayCalendar, start: date, end: date) -> int:
    """The plain count: every day after ``start`` up to ``end``, one at a time."""
    if end < start:
        return -_day_by_day(calendar, end, start)
    return sum(
        calendar.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1)
    )


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    start=DAYS,
    span=st.integers(min_value=-800, max_value=800),
    extra=st.frozensets(DAYS, max_size=20),
    near=st.lists(st.integers(min_value=-30, max_value=830), max_size=20),
)
def test_working_days_between_is_the_day_by_day_count(
    start: date, span: int, extra: frozenset[date], near: list[int]
) -> None:
    end = max(min(start + timedelta(days=span), date(2100, 12, 31)), date(1900, 1, 1))
    closures = extra | {start + timedelta(days=n) for n in near}
    calendar = WorkingDayCalendar(frozenset(closures))
    assert calendar.working_days_between(start, end) == _day_by_day(calendar, start, end)
    assert ENGLAND_AND_WALES.working_days_between(start, end) == _day_by_day(
        ENGLAND_AND_WALES, start, end
    )


@settings(max_examples=30, deadline=None)
@given(start=DAYS, end=DAYS)
def test_working_days_between_far_apart_dates(start: date, end: date) -> None:
    assert ENGLAND_AND_WALES.working_days_between(start, end) == _day_by_day(
        ENGLAND_AND_WALES, start, end
    )


@settings(max_examples=300, deadline=None)
@given(
    start=DAYS,
    span=st.integers(min_value=-20, max_value=60),
    days=st.integers(min_value=-2, max_value=25),
    extra=st.frozensets(DAYS, max_size=10),
    near=st.lists(st.integers(min_value=-5, max_value=40), max_size=10),
)
def test_within_is_on_or_before_the_nth_working_day(
    start: date, span: int, days: int, extra: frozenset[date], near: list[int]
) -> None:
    calendar = WorkingDayCalendar(extra | {start + timedelta(days=n) for n in near})
    end = start + timedelta(days=span)
    assert calendar.within(start, end, days) is (end <= calendar.add_working_days(start, days))
