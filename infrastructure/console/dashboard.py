"""The dashboard's figures for a period, each asked of the facade as the actor, with its chart.

A panel the actor's role may not see is left out (``None``), as the API would refuse it.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from application.errors import Forbidden
from application.queries import (
    AttendanceQuery,
    LatestPeriodQuery,
    OverdueQuery,
    QualityQuery,
    RecommendationListQuery,
    TimelinessQuery,
)
from domain.codes import RecommendationStatus
from domain.values import Actor
from infrastructure.console import charts
from infrastructure.console.formatting import LONDON, label, percent
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.states import RecommendationState
from projections.attendance import months
from projections.models import (
    AgencyAttendance,
    AttendanceCompliance,
    MeetingTimeliness,
    OverdueActions,
    RecordQuality,
    pct,
)

#: What a month without meetings shows instead of figures of nothing.
NO_MEETINGS = "no meetings"
#: Every recommendation in one list request, at most.
PAGE = 1000


@dataclass(frozen=True)
class Panel:
    """A chart (an SVG image URL) and the table of the same figures."""

    chart: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[object, ...]]


@dataclass(frozen=True)
class Dashboard:
    start: date
    end: date
    attendance: Panel | None
    timeliness: Panel | None
    overdue: Panel | None
    quality: list[RecordQuality]
    rag: Panel | None


def dashboard(
    queries: Queries, actor: Actor, start: date | None, end: date | None, audits: list[str]
) -> Dashboard:
    """The dashboard for ``start`` to ``end``; both left out, for the twelve months to the
    latest month a meeting was held in (``LatestPeriodQuery``), so that it shows the records."""
    if start is None and end is None:
        start, end = queries.ask(actor, LatestPeriodQuery())
    attendance = queries.ask(actor, AttendanceQuery(start, end, "month"))
    timeliness = queries.ask(actor, TimelinessQuery(start, end))
    overdue = queries.ask(actor, OverdueQuery(as_of=attendance.to_date))
    recommendations = _recommendations(queries, actor)
    known_audits = audits or sorted(
        {r.source.ref for r in recommendations or [] if r.source.kind == "audit"}
    )
    return Dashboard(
        start=attendance.from_date,
        end=attendance.to_date,
        attendance=attendance_panel(attendance),
        timeliness=timeliness_panel(timeliness),
        overdue=overdue_panel(overdue),
        quality=[queries.ask(actor, QualityQuery(ref)) for ref in known_audits],
        rag=None if recommendations is None else rag_panel(recommendations),
    )


def _recommendations(queries: Queries, actor: Actor) -> list[RecommendationState] | None:
    """Every recommendation, or None if the actor may not list them."""
    found: list[RecommendationState] = []
    after: int | None = 0
    try:
        while after is not None:
            page = queries.ask(actor, RecommendationListQuery(after=after, limit=PAGE))
            found.extend(page.items)
            after = page.next_after
    except Forbidden:
        return None
    return found


def attendance_panel(report: AttendanceCompliance) -> Panel:
    """Per statutory partner and month: meetings attended, as a percentage of those held (the
    chart), and beside it the attendance report's own figures: invited to N of the M held
    (% of held), attended K. A month without meetings is a gap in the chart's lines."""
    periods = [group.period for group in report.groups]
    partners = report.statutory_partners
    by_partner = [
        {a.agency: a for a in group.agencies if a.agency in partners} for group in report.groups
    ]
    attended = {
        partner: [
            pct(agencies[partner].attended, group.meetings_held)
            for group, agencies in zip(report.groups, by_partner, strict=True)
        ]
        for partner in partners
    }
    chart = charts.percent_by_period(
        "Attendance: % of meetings held attended by each statutory partner",
        periods,
        [charts.Plotted(label(p), attended[p], charts.agency_colour(p)) for p in partners],
    )
    rows = [
        (
            group.period,
            group.meetings_held,
            *(
                cell
                for p in partners
                for cell in (
                    percent(attended[p][i]),
                    invited_and_attended(agencies[p], group.meetings_held),
                )
            ),
        )
        for i, (group, agencies) in enumerate(zip(report.groups, by_partner, strict=True))
    ]
    columns = (
        "month",
        "held",
        *(c for p in partners for c in (f"{label(p)}: % attended", f"{label(p)}: invited")),
    )
    return Panel(chart, columns, rows)


def invited_and_attended(agency: AgencyAttendance, held: int) -> str:
    """``invited 14 of 16 (87.5%), attended 14``: the attendance report's figures in words."""
    if not held:
        return NO_MEETINGS
    return (
        f"invited {agency.invited} of {held} ({percent(agency.invited_pct)}), "
        f"attended {agency.attended}"
    )


def timeliness_panel(report: MeetingTimeliness) -> Panel:
    """Per month of the period, as the attendance panel (a month without meetings kept, a gap
    in the lines): held within timescale and record shared within timescale."""
    by_month: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for row in report.rows:
        month = row.held_at.astimezone(LONDON).strftime("%Y-%m")
        by_month[month].append((row.held_within_standard, row.record_shared_within_standard))
    periods = months(report.from_date, report.to_date)
    held = [pct(sum(h for h, _ in by_month[m]), len(by_month[m])) for m in periods]
    shared = [pct(sum(s for _, s in by_month[m]), len(by_month[m])) for m in periods]
    within = report.meeting_within_working_days, report.record_shared_within_working_days
    chart = charts.percent_by_period(
        "Timeliness: % of meetings held and records shared within timescale",
        periods,
        [
            charts.Plotted(
                f"held within {within[0]} working day(s)", held, charts.MEASURE_COLOURS[0]
            ),
            charts.Plotted(
                f"record shared within {within[1]} working days", shared, charts.MEASURE_COLOURS[1]
            ),
        ],
    )
    rows = [
        (m, len(by_month[m]), percent(h), percent(s))
        for m, h, s in zip(periods, held, shared, strict=True)
    ]
    return Panel(chart, ("month", "held", "% held in time", "% records shared in time"), rows)


def overdue_panel(report: OverdueActions) -> Panel:
    by_agency = sorted(Counter(row.agency for row in report.rows).items())
    chart = charts.counts(
        f"Overdue actions by agency on {report.as_of.isoformat()}",
        [(label(agency), n, charts.agency_colour(agency)) for agency, n in by_agency],
    )
    return Panel(chart, ("agency", "overdue actions"), [(label(a), n) for a, n in by_agency])


def rag_panel(recommendations: list[RecommendationState]) -> Panel:
    open_ones = [r for r in recommendations if r.status != RecommendationStatus.CLOSED.value]
    by_rag = Counter(r.rag or "not rated" for r in open_ones)
    order = [rag for rag in charts.RAG_COLOURS if by_rag[rag]]
    chart = charts.counts(
        "Open recommendations by RAG rating",
        [(rag, by_rag[rag], charts.RAG_COLOURS[rag]) for rag in order],
    )
    return Panel(chart, ("RAG", "open recommendations"), [(rag, by_rag[rag]) for rag in order])
