"""One entry per report: its name, its model, its flat rows and their CSV columns.

HTTP routes (``/reports/<name>``, ``format=csv``), the CLI's ``report`` and ``export`` commands
all read this registry; what a report answers is the read side's (``projections.models``).
"""

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from infrastructure.presentation.spreadsheet import neutralised
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
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Report(Generic[M]):
    #: The HTTP path under ``/reports`` and the name of its CSV file.
    name: str
    #: The CLI's ``actiontrail report <command>`` (the audit log's: ``actiontrail audit-log``).
    command: str
    summary: str
    model: type[M]
    rows: Callable[[M], Rows]
    #: The CSV header, so that a report with no rows still has one.
    columns: tuple[str, ...]

    def csv(self, report: M) -> str:
        return to_csv(self.rows(report), self.columns)


def columns_of(model: type[BaseModel], exclude: Sequence[str] = ()) -> tuple[str, ...]:
    return tuple(name for name in model.model_fields if name not in exclude)


def dump(models: Sequence[BaseModel]) -> Rows:
    return [model.model_dump(mode="json") for model in models]


def to_csv(rows: Rows, columns: Sequence[str]) -> str:
    """CSV text; booleans ``true``/``false``, nested values (lists, objects) as JSON."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralised(_cell(v)) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A cell as written: JSON's ``true``/``false`` for booleans, as the JSON rows have them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return "" if value is None else value


def _attendance_rows(report: AttendanceCompliance) -> Rows:
    """One row per period and agency, with the period's totals repeated."""
    rows: Rows = []
    for group in report.groups:
        totals = group.model_dump(mode="json", exclude={"agencies"})
        if not group.agencies:
            rows.append({**totals, "agency": None})
        for agency in group.agencies:
            rows.append({**totals, **agency.model_dump(mode="json")})
    return rows


OVERDUE_ACTIONS = Report(
    "overdue-actions",
    "overdue",
    "actions overdue as of a date",
    OverdueActions,
    lambda report: dump(report.rows),
    columns_of(OverdueAction),
)
ATTENDANCE_COMPLIANCE = Report(
    "attendance-compliance",
    "attendance",
    "agencies invited and attending, per month",
    AttendanceCompliance,
    _attendance_rows,
    (*columns_of(AttendanceGroup, exclude=["agencies"]), *columns_of(AgencyAttendance)),
)
MEETING_TIMELINESS = Report(
    "meeting-timeliness",
    "timeliness",
    "meetings held and records shared within the standard",
    MeetingTimeliness,
    lambda report: dump(report.rows),
    columns_of(MeetingTimelinessRow),
)
RECORD_QUALITY = Report(
    "record-quality",
    "quality",
    "records assessed clear or lacking clarity",
    RecordQuality,
    lambda report: [report.model_dump(mode="json")],
    columns_of(RecordQuality),
)
RESPONSE_HISTORY = Report(
    "response-history",
    "responses",
    "a recommendation's responses and status changes",
    ResponseHistory,
    lambda report: dump(report.responses),
    columns_of(ResponseEntry),
)
AUDIT_LOG = Report(
    "audit-log",
    "audit-log",
    "every event: who changed what, when",
    LogPage,
    lambda page: dump(page.events),
    columns_of(LogEntry),
)
#: The reports of ``/reports`` and ``actiontrail report``.
REPORTS: tuple[Report[Any], ...] = (
    OVERDUE_ACTIONS,
    ATTENDANCE_COMPLIANCE,
    MEETING_TIMELINESS,
    RECORD_QUALITY,
    RESPONSE_HISTORY,
)


def report_of(model: type[M]) -> Report[M]:
    """The registry entry of a report model."""
    for report in (*REPORTS, AUDIT_LOG):
        if report.model is model:
            return report
    raise KeyError(model.__name__)
