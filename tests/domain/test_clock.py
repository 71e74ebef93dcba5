from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from domain.clock import as_utc, london_date, utc_now


def test_frozen_now_is_a_real_datetime() -> None:
    with freeze_time("2023-12-05 10:30:00"):
        now = utc_now()
        assert now == datetime(2023, 12, 5, 10, 30, tzinfo=UTC)
        assert type(now).__module__ == "datetime"  # not freezegun.api.FakeDatetime


def test_calendar_date_is_taken_in_london() -> None:
    assert london_date(datetime(2023, 6, 30, 23, 30, tzinfo=UTC)) == date(2023, 7, 1)
    assert london_date(datetime(2023, 12, 30, 23, 30, tzinfo=UTC)) == date(2023, 12, 30)


def test_as_utc_normalises_offsets_and_rejects_naive() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert as_utc(datetime(2023, 6, 1, 12, tzinfo=plus_two)) == datetime(2023, 6, 1, 10, tzinfo=UTC)
    with pytest.raises(ValueError, match="no UTC offset"):
        as_utc(datetime(2023, 6, 1, 12))
