"""A report's "as known at" reads as the console writes it: London time, to the second."""

from datetime import UTC, date, datetime

import pytest

from infrastructure.cli.report_tables import render_completed_late, render_overdue
from projections.models import CompletedLate, OverdueActions

ASKED = datetime(2024, 7, 15, 11, 48, 46, tzinfo=UTC)


def test_the_time_asked_is_shown_to_the_second_in_london_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    render_overdue(OverdueActions(as_of=date(2024, 7, 15), known_at=ASKED, agency=None, rows=[]))
    late = CompletedLate(
        from_date=date(2024, 1, 1),
        to_date=date(2024, 7, 15),
        known_at=ASKED,
        agency=None,
        agencies=[],
        rows=[],
    )
    render_completed_late(late)
    printed = " ".join(capsys.readouterr().out.split())
    assert printed.count("as known at 2024-07-15 12:48:46") == 2, printed
