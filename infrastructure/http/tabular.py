"""Reports as flat rows: the columns of the JSON rows, for CSV downloads and CLI tables."""

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from projections.models import (
    AgencyAttendance,
    AttendanceCompliance,
    AttendanceGroup,
    LogEntry,
    LogPage,
    MeetingTimeliness,
    MeetingTimelinessRow,
    OverdueAction,
    OverdueActions,
    RecordQuality,
    ResponseEntry,
    ResponseHistory,
)

Rows = list[dict[str, Any]]


def _dump(models: Sequence[BaseModel]) -> Rows:
    return [model.model_dump(mode="json") for model in models]


def overdue_rows(report: OverdueActions) -> Rows:
    return _dump(report.rows)


def attendance_rows(report: AttendanceCompliance) -> Rows:
    """One row per period and agency, with the period's totals repeated."""
    rows: Rows = []
    for group in report.groups:
        totals = group.model_dump(mode="json", exclude={"agencies"})
        agencies = group.agencies or []
        if not agencies:
            rows.append({**totals, "agency": None})
        for agency in agencies:
            rows.append({**totals, **agency.model_dump(mode="json")})
    return rows


def timeliness_rows(report: MeetingTimeliness) -> Rows:
    return _dump(report.rows)


def quality_rows(report: RecordQuality) -> Rows:
    return [report.model_dump(mode="json")]


def response_rows(report: ResponseHistory) -> Rows:
    return _dump(report.responses)


def log_rows(page: LogPage) -> Rows:
    return _dump(page.events)


def to_csv(rows: Rows, columns: Sequence[str] | None = None) -> str:
    """CSV text; nested values (lists, objects) are written as JSON."""
    names = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return "" if value is None else value


def columns_of(model: type[BaseModel], exclude: Sequence[str] = ()) -> list[str]:
    return [name for name in model.model_fields if name not in exclude]


#: The CSV columns of each report, so a report with no rows still has its header.
REPORT_COLUMNS: dict[type[BaseModel], list[str]] = {
    OverdueActions: columns_of(OverdueAction),
    AttendanceCompliance: [
        *columns_of(AttendanceGroup, exclude=["agencies"]),
        *columns_of(AgencyAttendance),
    ],
    MeetingTimeliness: columns_of(MeetingTimelinessRow),
    RecordQuality: columns_of(RecordQuality),
    ResponseHistory: columns_of(ResponseEntry),
    LogPage: columns_of(LogEntry),
}
