"""The dashboard's panels and charts from the reports' own figures, without a store: the
attendance report's "invited N of M" beside % attended, empty months kept and left as gaps,
one colour per agency on every chart, lines that stay visible when they coincide, whole-number
count axes, and the default period (the browser test walks the same on the demo)."""

import re
from datetime import UTC, date, datetime
from uuid import uuid4

from application.queries import LatestPeriodQuery
from infrastructure.console import charts
from infrastructure.console.dashboard import attendance_panel, overdue_panel, timeliness_panel
from projections.models import (
    AgencyAttendance,
    AttendanceCompliance,
    AttendanceGroup,
    MeetingTimeliness,
    MeetingTimelinessRow,
    OverdueAction,
    OverdueActions,
    pct,
)
from tests.console.svg import line_paths, series_colours, svg_of

PARTNERS = ["childrens-social-care", "police", "health"]


def group(period: str, held: int, invited: dict[str, int]) -> AttendanceGroup:
    return AttendanceGroup(
        period=period,
        team=None,
        meetings_held=held,
        agencies=[
            AgencyAttendance(
                agency=a,
                invited=invited.get(a, 0),
                invited_pct=pct(invited.get(a, 0), held),
                attended=invited.get(a, 0),
                attended_pct_of_invited=pct(invited.get(a, 0), invited.get(a, 0)),
            )
            for a in PARTNERS
        ],
        all_statutory_invited=0,
        all_statutory_invited_pct=None,
        all_statutory_attended=0,
        all_statutory_attended_pct=None,
    )


def attendance() -> AttendanceCompliance:
    """July and August with meetings, three months without, then December as the demo's."""
    return AttendanceCompliance(
        from_date=date(2023, 7, 1),
        to_date=date(2023, 12, 31),
        group_by="month",
        known_at=None,
        statutory_partners=PARTNERS,
        groups=[
            group("2023-07", 3, {"childrens-social-care": 3, "police": 3, "health": 2}),
            group("2023-08", 4, {"childrens-social-care": 4, "police": 4, "health": 2}),
            group("2023-09", 0, {}),
            group("2023-10", 0, {}),
            group("2023-11", 0, {}),
            group("2023-12", 16, {"childrens-social-care": 16, "police": 16, "health": 14}),
        ],
    )


def overdue(*agencies: str) -> OverdueActions:
    return OverdueActions(
        as_of=date(2023, 12, 31),
        known_at=None,
        agency=None,
        rows=[
            OverdueAction(
                action_id=uuid4(),
                agency=agency,
                owner_role=None,
                description="x",
                source_kind="audit",
                source_ref="A",
                agreed_on=date(2023, 10, 1),
                original_due_on=date(2023, 11, 1),
                due_on=date(2023, 11, 1),
                days_overdue=60,
                working_days_overdue=42,
                revisions=0,
            )
            for agency in agencies
        ],
    )


def test_each_month_shows_invited_n_of_m_beside_percent_attended() -> None:
    panel = attendance_panel(attendance())
    assert panel.columns[:4] == (
        "month",
        "held",
        "Children's social care: % attended",
        "Children's social care: invited",
    )
    december = dict(zip(panel.columns, panel.rows[-1], strict=True))
    assert december["Health: % attended"] == "87.5%"
    assert december["Health: invited"] == "invited 14 of 16 (87.5%), attended 14"
    assert december["Police: invited"] == "invited 16 of 16 (100.0%), attended 16"
    september = dict(zip(panel.columns, panel.rows[2], strict=True))
    assert (september["held"], september["Health: invited"]) == (0, "no meetings")


def test_lines_break_at_months_without_meetings() -> None:
    panel = attendance_panel(attendance())
    paths = line_paths(panel.chart)
    assert set(paths) == {0, 1, 2}, "a line per statutory partner"
    for place, runs in paths.items():
        # July to August, then December alone: no line is drawn across the empty months.
        points = [len(d.split()) // 2 for d in runs]
        assert points == [2], (place, runs)


def test_lines_with_the_same_values_stay_visible() -> None:
    """Children's social care and police both at 100%: each line has its own width and dash
    pattern, the first widest, so the one drawn later never hides it."""
    svg = svg_of(attendance_panel(attendance()).chart)
    styles = set(
        re.findall(
            r"\.serie-(\d) \.line\{stroke-width:([\d.]+)px !important;"
            r"stroke-dasharray:([^ ]+) !important\}",
            svg,
        )
    )
    assert len(styles) == 3
    widths = [float(w) for _, w, _ in sorted(styles)]
    assert widths == sorted(widths, reverse=True)
    assert len(set(widths)) == 3
    assert len({dash for _, _, dash in styles}) == 3


def test_timeliness_keeps_the_months_without_meetings() -> None:
    held = datetime(2023, 12, 4, 14, tzinfo=UTC)
    row = MeetingTimelinessRow(
        meeting_id=uuid4(),
        case_ref="C1",
        team="North",
        concern_raised_at=held,
        held_at=held,
        working_days_to_meeting=0,
        held_within_standard=True,
        record_shared_at=None,
        working_days_to_record_shared=None,
        record_shared_within_standard=False,
    )
    report = MeetingTimeliness(
        from_date=date(2023, 10, 1),
        to_date=date(2023, 12, 31),
        known_at=None,
        meeting_within_working_days=1,
        record_shared_within_working_days=3,
        meetings_held=1,
        held_within_standard=1,
        held_within_standard_pct=100.0,
        records_shared_within_standard=0,
        records_shared_within_standard_pct=0.0,
        rows=[row],
    )
    panel = timeliness_panel(report)
    assert [r[:2] for r in panel.rows] == [("2023-10", 0), ("2023-11", 0), ("2023-12", 1)]
    assert panel.rows[-1][2:] == ("100.0%", "0.0%")


def test_an_agency_has_one_colour_on_every_chart() -> None:
    on_attendance = series_colours(attendance_panel(attendance()).chart)
    # Alphabetical on the bar chart, so police is second there and in another place than above.
    on_overdue = series_colours(overdue_panel(overdue("health", "police", "police")).chart)
    assert set(on_overdue) == {"Health", "Police"}
    for agency, colours in on_overdue.items():
        assert colours == on_attendance[agency], agency
    assert on_attendance["Police"] == (charts.AGENCY_COLOURS["police"],) * 2
    assert len(set(charts.AGENCY_COLOURS.values())) == len(charts.AGENCY_COLOURS)
    others = {*charts.RAG_COLOURS.values(), *charts.MEASURE_COLOURS, *charts.EXTRA_COLOURS}
    assert not others & set(charts.AGENCY_COLOURS.values()), "a colour means one agency"
    assert charts.agency_colour("fire-service") == charts.agency_colour("fire-service")
    assert charts.agency_colour("fire-service") in charts.EXTRA_COLOURS


def test_count_axes_have_whole_number_ticks() -> None:
    svg = svg_of(overdue_panel(overdue("health", "police", "police")).chart)
    ticks = re.findall(
        r'<g class="guides">.*?<text[^>]*>([^<]+)</text>', svg.split('class="axis y')[1]
    )
    assert ticks, "the y axis has labels"
    assert all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    assert charts.integer_ticks(2) == [0, 1, 2]
    assert charts.integer_ticks(23) == [0, 3, 6, 9, 12, 15, 18, 21, 24]
    assert charts.integer_ticks(0) == [0, 1]


def test_the_default_period_ends_with_the_latest_month_a_meeting_was_held_in() -> None:
    today = date(2026, 12, 7)
    period = LatestPeriodQuery().period
    assert period(date(2023, 12, 16), today) == (date(2023, 1, 1), date(2023, 12, 31))
    assert period(date(2024, 2, 3), today) == (date(2023, 3, 1), date(2024, 2, 29))
    assert period(date(2026, 12, 2), today) == (date(2026, 1, 1), today), "not past today"
    assert period(None, today) == (date(2026, 1, 1), today), "no meetings: the months to today"
