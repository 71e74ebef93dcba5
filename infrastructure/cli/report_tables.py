"""Reports as readable tables and sentences, for ``report`` and ``demo`` without --json/--csv."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from domain.reference import agency_name
from infrastructure.cli.output import print_table, say
from infrastructure.cli.people import person
from infrastructure.presentation.moments import moment_text
from projections.models import (
    AttendanceCompliance,
    CompletedLate,
    MeetingTimeliness,
    OverdueActions,
    RecordQuality,
    ResponseHistory,
)


def _as_known(moment: datetime | None) -> str:
    """A title's ", as known at <London time>" when the report was asked as known at a time."""
    return f", as known at {moment_text(moment)}" if moment else ""


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def render_overdue(report: OverdueActions) -> None:
    print_table(
        f"Overdue actions as of {report.as_of}{_as_known(report.known_at)}",
        [
            "agency",
            "description",
            "source",
            "agreed",
            "due",
            "original due",
            "days",
            "working days",
        ],
        (
            (
                agency_name(r.agency),
                r.description,
                r.source_label or f"{r.source_kind} {r.source_ref}",
                r.agreed_on,
                r.due_on,
                r.original_due_on,
                r.days_overdue,
                r.working_days_overdue,
            )
            for r in report.rows
        ),
    )


def render_completed_late(report: CompletedLate) -> None:
    print_table(
        f"Actions completed late, {report.from_date} to {report.to_date}"
        f"{_as_known(report.known_at)}",
        ["agency", "description", "source", "due", "completed", "days", "working days"],
        (
            (
                agency_name(r.agency),
                r.description,
                r.source_label or f"{r.source_kind} {r.source_ref}",
                r.due_on,
                r.completed_on,
                r.days_late,
                r.working_days_late,
            )
            for r in report.rows
        ),
    )
    for a in report.agencies:
        say(
            f"  {agency_name(a.agency)}: {a.completed} completed, {a.completed_late} late "
            f"({_pct(a.completed_late_pct)})"
        )


def render_attendance(report: AttendanceCompliance) -> None:
    rows = []
    for group in report.groups:
        if not group.meetings_held:
            continue
        cells = {
            a.agency: f"{a.invited} ({_pct(a.invited_pct)}) / {a.attended}" for a in group.agencies
        }
        rows.append(
            (
                group.period if report.group_by == "month" else group.team,
                group.meetings_held,
                *(cells.get(agency, "") for agency in report.statutory_partners),
                f"{group.all_statutory_invited} / {group.all_statutory_attended}",
            )
        )
    print_table(
        f"Attendance at meetings held {report.from_date} to {report.to_date}"
        f"{_as_known(report.known_at)} (invited (% of held) / attended)",
        [
            report.group_by,
            "held",
            *(agency_name(code) for code in report.statutory_partners),
            "all statutory invited/attended",
        ],
        rows,
    )


def render_timeliness(report: MeetingTimeliness) -> None:
    say(
        f"Meetings held {report.from_date} to {report.to_date}{_as_known(report.known_at)}: "
        f"{report.meetings_held}; "
        f"held within {report.meeting_within_working_days} working day(s): "
        f"{report.held_within_standard} ({_pct(report.held_within_standard_pct)}); records "
        f"shared within {report.record_shared_within_working_days} working days: "
        f"{report.records_shared_within_standard} "
        f"({_pct(report.records_shared_within_standard_pct)})"
    )


def render_quality(report: RecordQuality) -> None:
    say(
        f"Record quality under audit {report.audit_ref}: {report.assessed} assessed, "
        f"{report.clear} clear ({_pct(report.clear_pct)}), {report.lacks_clarity} lacking "
        f"clarity ({_pct(report.lacks_clarity_pct)})"
    )


def render_responses(report: ResponseHistory) -> None:
    print_table(
        f"Recommendation {report.number}: {report.text}",
        ["#", "dated", "recorded at", "by", "corrections", "response"],
        (
            (
                r.number,
                r.dated,
                f"{r.recorded_at:%Y-%m-%d %H:%M}",
                person(r.by, r.by_name),
                len(r.corrections),
                r.text,
            )
            for r in report.responses
        ),
    )
    for change in report.status_changes:
        say(
            f"  {change.effective_on} (recorded {change.recorded_at:%Y-%m-%d}) "
            f"{change.change}: {change.status}"
            f"{f' ({change.rag})' if change.rag else ''} - {change.reason}, by "
            f"{person(change.by, change.by_name)}"
        )


RENDER: dict[type[BaseModel], Callable[[Any], None]] = {
    OverdueActions: render_overdue,
    CompletedLate: render_completed_late,
    AttendanceCompliance: render_attendance,
    MeetingTimeliness: render_timeliness,
    RecordQuality: render_quality,
    ResponseHistory: render_responses,
}


def render(report: BaseModel) -> None:
    RENDER[type(report)](report)
