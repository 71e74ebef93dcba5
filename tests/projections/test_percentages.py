"""Percentages never say "all" or "none" unless it is so (docs/read-models.md)."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from application import commands as c
from application.batch import CommandBatch
from application.service import ActionTrail
from domain.codes import MeetingFormat, MeetingKind, QualityRating
from domain.values import Actor
from infrastructure.config import Settings
from infrastructure.read_side import build_read_service
from projections.models import pct
from projections.service import ReadService
from tests.builders import recorded_at


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (20_023, 20_024, 99.9),
        (1, 20_024, 0.1),
        (20_024, 20_024, 100.0),
        (0, 20_024, 0.0),
        (1, 16, 6.3),
        (15, 16, 93.8),
        (1999, 2000, 99.9),
        (1, 2000, 0.1),
        (1, 3, 33.3),
        (0, 0, None),
    ],
)
def test_rounding_holds_all_and_none_for_all_and_none(
    part: int, whole: int, expected: float | None
) -> None:
    assert pct(part, whole) == expected


@pytest.fixture
def reads(settings: Settings, app: ActionTrail) -> Iterator[ReadService]:
    """Reports on read models followed in the read side's own batches: thousands of events, where
    the small batches of ``tests/projections/conftest.py`` would take many times as long."""
    service = build_read_service(settings, app)
    yield service
    service.stop()
    service.runner.engine.dispose()


def test_a_report_of_2000_records_one_unclear_is_not_100_percent_clear(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    held = datetime(2023, 6, 14, 10, tzinfo=UTC)

    def record(batch: CommandBatch) -> None:
        for n in range(2000):
            meeting_id = batch.run(
                c.RequestMeeting(
                    case_ref=f"CASE-{n}",
                    concern_raised_at=held,
                    kind=MeetingKind.CHILD_PROTECTION,
                    team="North",
                )
            ).id
            batch.run(
                c.HoldMeeting(meeting_id=meeting_id, held_at=held, format=MeetingFormat.VIRTUAL)
            )
            rating = QualityRating.LACKS_CLARITY if n == 0 else QualityRating.CLEAR
            batch.run(c.AssessRecordQuality(meeting_id=meeting_id, rating=rating, audit_ref="A"))

    with recorded_at(held):
        app.execute_all(record, governance)

    report = reads.record_quality("A")
    assert (report.clear, report.lacks_clarity) == (1999, 1)
    assert (report.clear_pct, report.lacks_clarity_pct) == (99.9, 0.1)
    timeliness = reads.meeting_timeliness(held.date(), held.date())
    assert timeliness.held_within_standard_pct == 100.0
