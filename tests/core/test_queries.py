"""The defaults of queries, set in one place for every front end."""

from datetime import date

from application.queries import reporting_period


def test_the_reporting_period_is_the_twelve_months_to_its_end() -> None:
    today = date(2024, 3, 15)
    assert reporting_period(None, None, today) == (date(2023, 4, 1), today)
    assert reporting_period(None, date(2023, 12, 31), today) == (
        date(2023, 1, 1),
        date(2023, 12, 31),
    ), "twelve whole months, the first starting on its 1st"
    assert reporting_period(None, date(2024, 1, 1), today)[0] == date(2023, 2, 1)
    assert reporting_period(date(2023, 6, 1), None, today) == (date(2023, 6, 1), today)
