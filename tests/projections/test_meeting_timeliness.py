"""Meeting timeliness over the Christmas bank holidays of 2023, with configurable timescales."""

from datetime import date

from application.service import ActionTrail
from domain.values import Actor
from projections.service import ReadService
from projections.standards import Standards
from tests.builders import meeting, utc

DECEMBER = (date(2023, 12, 1), date(2023, 12, 31))


def christmas(app: ActionTrail, by: Actor) -> None:
    # Concern on Friday 22 December; 23-24 weekend; 25-26 bank holidays: Wednesday 27th is
    # working day 1. Shared Tuesday 2 January 2024: 28, 29 and (after 1 January) 2 January.
    meeting(
        app,
        by,
        concern=utc(2023, 12, 22, 16),
        held=utc(2023, 12, 27),
        shared=utc(2024, 1, 2),
        team="A",
    )
    # Held on working day 2; shared on Thursday 4 January, working day 4 after the 28th.
    meeting(
        app,
        by,
        concern=utc(2023, 12, 22, 16),
        held=utc(2023, 12, 28),
        shared=utc(2024, 1, 4),
        team="B",
    )
    # Held the same day (day 0); the record never shared.
    meeting(app, by, concern=utc(2023, 12, 21, 9), held=utc(2023, 12, 21, 15), team="C")
    # Outside the period.
    meeting(app, by, concern=utc(2023, 11, 29), held=utc(2023, 11, 30), shared=utc(2023, 12, 1))


def test_working_days_across_bank_holidays(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    christmas(app, governance)
    report = reads.meeting_timeliness(*DECEMBER)

    assert [
        (
            r.team,
            r.working_days_to_meeting,
            r.held_within_standard,
            r.working_days_to_record_shared,
            r.record_shared_within_standard,
        )
        for r in report.rows
    ] == [
        ("C", 0, True, None, False),
        ("A", 1, True, 3, True),
        ("B", 2, False, 4, False),
    ]
    assert report.meetings_held == 3
    assert (report.held_within_standard, report.held_within_standard_pct) == (2, 66.7)
    assert (report.records_shared_within_standard, report.records_shared_within_standard_pct) == (
        1,
        33.3,
    )
    assert report.rows[1].record_shared_at == utc(2024, 1, 2)


def test_timescales_come_from_settings(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    christmas(app, governance)
    lenient = ReadService(
        reads.runner,
        Standards(
            statutory_partners=reads.standards.statutory_partners,
            meeting_within_working_days=2,
            record_shared_within_working_days=4,
        ),
        snapshot=reads.snapshot,
    )
    report = lenient.meeting_timeliness(*DECEMBER)
    assert (report.held_within_standard, report.records_shared_within_standard) == (3, 2)
    assert report.held_within_standard_pct == 100.0


def test_as_known_before_a_record_was_shared(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    christmas(app, governance)
    report = reads.meeting_timeliness(*DECEMBER, known_at=utc(2024, 1, 1))
    assert report.records_shared_within_standard == 0
    assert [r.working_days_to_record_shared for r in report.rows] == [None, None, None]


def test_an_empty_period_has_no_percentages(reads: ReadService) -> None:
    report = reads.meeting_timeliness(*DECEMBER)
    assert report.meetings_held == 0
    assert report.held_within_standard_pct is None
    assert report.records_shared_within_standard_pct is None
