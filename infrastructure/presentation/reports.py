"""One entry per report: its name, its model, its flat rows and their CSV columns.

HTTP routes (``/reports/<name>``, ``format=csv``), the CLI's ``report`` and ``export`` commands
all read this registry; what a report answers is the read side's (``projections.models``).
"""

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import UnionType
from typing import Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from application.queries import (
    AttendanceQuery,
    AuditLogQuery,
    CompletedLateQuery,
    OverdueQuery,
    QualityQuery,
    Query,
    QueueQuery,
    ResponsesQuery,
    TimelinessQuery,
)
from domain.reference import agency_name
from infrastructure.presentation.spreadsheet import neutralised
from projections.models import (
    AgencyAttendance,
    AttendanceCompliance,
    AttendanceGroup,
    CompletedLate,
    CompletedLateRow,
    LogEntry,
    LogPage,
    MeetingTimeliness,
    MeetingTimelinessRow,
    OverdueAction,
    OverdueActions,
    QueueItem,
    RecordQuality,
    ResponseEntry,
    ResponseHistory,
    WorkQueue,
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
    #: What is asked (its fields are the HTTP parameters and CLI options).
    query: type[Query]
    #: What the HTTP route says beyond its summary.
    description: str | None = None

    def csv(self, report: M) -> str:
        return to_csv(self.rows(report), self.columns)


def columns_of(model: type[BaseModel], exclude: Sequence[str] = ()) -> tuple[str, ...]:
    """The CSV columns of ``model``'s rows: its fields, a field that is itself a model (an
    action's ``source``, an entry's ``actor``) as one column per field of that model, named
    ``<field>_<its field>`` (``source_kind``, ``source_label``, ``source_id``...)."""
    columns: list[str] = []
    for name, info in model.model_fields.items():
        if name in exclude:
            continue
        inner = _model_of(info.annotation)
        if inner is None:
            columns.append(name)
        else:
            columns.extend(f"{name}_{column}" for column in columns_of(inner))
    return tuple(columns)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (alone or optional), if it holds one."""
    optional = get_origin(annotation) in (Union, UnionType)
    for candidate in (annotation, *(get_args(annotation) if optional else ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def dump(models: Sequence[BaseModel]) -> Rows:
    return [model.model_dump(mode="json") for model in models]


def to_csv(rows: Rows, columns: Sequence[str]) -> str:
    """CSV text a spreadsheet reads: no JSON in any cell. Booleans ``true``/``false``; an
    object with columns of its own (``source``) spread over them; a list as its items' text
    joined by ``; `` (an object in it as ``name: value, ...``); other objects (an event's
    ``data``) as ``name: value; ...``. Each agency code column (``agency``, ``actor_agency``)
    is followed by the agency's name (``agency_name``: "Children's social care")."""
    out = io.StringIO()
    named = [c for c in columns if _is_agency(c)]
    writer = csv.DictWriter(
        out, fieldnames=csv_columns(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        flat = _spread(row, columns)
        for column in named:
            code = flat.get(column)
            flat[f"{column}_name"] = agency_name(code) if isinstance(code, str) else None
        writer.writerow({k: neutralised(_cell(v)) for k, v in flat.items()})
    return out.getvalue()


def csv_columns(columns: Sequence[str]) -> list[str]:
    """A CSV's header: ``columns``, each agency code column followed by the agency's name."""
    return [n for c in columns for n in ((c, f"{c}_name") if _is_agency(c) else (c,))]


def _is_agency(column: str) -> bool:
    return column == "agency" or column.endswith("_agency")


def _spread(row: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """``row`` with each object whose fields have columns of their own spread over them."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict) and key not in columns:
            flat.update({f"{key}_{inner}": v for inner, v in value.items()})
        else:
            flat[key] = value
    return flat


def _cell(value: Any) -> Any:
    """A cell as written: JSON's ``true``/``false`` for booleans, as the JSON rows have them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items() if v not in (None, []))
    return "" if value is None else value


def _text(value: Any) -> str:
    """A value inside a cell as words: an object as ``name: value, ...``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if v not in (None, []))
    if isinstance(value, list):
        return "[" + ", ".join(_text(item) for item in value) + "]"
    return "" if value is None else str(value)


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
    OverdueQuery,
)
COMPLETED_LATE = Report(
    "completed-late",
    "completed-late",
    "actions completed after the due date in force on completion, in a period",
    CompletedLate,
    lambda report: dump(report.rows),
    columns_of(CompletedLateRow),
    CompletedLateQuery,
    description="Actions completed from `from` to `to` (their `completed_on`) after the due "
    "date in force on that date: the latest revision effective on or before it (in effective "
    "order, ties in the order recorded), else the original. `days_late` in calendar days, "
    "`working_days_late` in working days of England and Wales after the due date; `agencies` "
    "counts, per agency, the actions completed in the period and those completed late. An "
    "action reopened or cancelled since its completion is not counted.",
)
ATTENDANCE_COMPLIANCE = Report(
    "attendance-compliance",
    "attendance",
    "agencies invited and attending, per month",
    AttendanceCompliance,
    _attendance_rows,
    (*columns_of(AttendanceGroup, exclude=["agencies"]), *columns_of(AgencyAttendance)),
    AttendanceQuery,
)
MEETING_TIMELINESS = Report(
    "meeting-timeliness",
    "timeliness",
    "meetings held and records shared within the standard",
    MeetingTimeliness,
    lambda report: dump(report.rows),
    columns_of(MeetingTimelinessRow),
    TimelinessQuery,
)
RECORD_QUALITY = Report(
    "record-quality",
    "quality",
    "records assessed clear or lacking clarity",
    RecordQuality,
    lambda report: [report.model_dump(mode="json")],
    columns_of(RecordQuality),
    QualityQuery,
)
RESPONSE_HISTORY = Report(
    "response-history",
    "responses",
    "a recommendation's responses and status changes",
    ResponseHistory,
    lambda report: dump(report.responses),
    columns_of(ResponseEntry),
    ResponsesQuery,
)
AUDIT_LOG = Report(
    "audit-log",
    "audit-log",
    "every event: who changed what, when",
    LogPage,
    lambda page: dump(page.events),
    columns_of(LogEntry),
    AuditLogQuery,
)
WORK_QUEUE = Report(
    "queue",
    "queue",
    "agency submissions waiting for governance, oldest first",
    WorkQueue,
    lambda queue: dump(queue.items),
    columns_of(QueueItem),
    QueueQuery,
    description="Each item is one `kind` of submission on one open action: today "
    "`due-date-proposal` (an agency's proposed due date; decide it with "
    "`POST /actions/{id}/due-date/accept` or `/decline`). `working_days_waiting` counts from "
    "the London date it was submitted (day 0) to today. Governance and inspectors.",
)
#: The reports of ``/reports`` and ``actiontrail report``.
REPORTS: tuple[Report[Any], ...] = (
    OVERDUE_ACTIONS,
    COMPLETED_LATE,
    ATTENDANCE_COMPLIANCE,
    MEETING_TIMELINESS,
    RECORD_QUALITY,
    RESPONSE_HISTORY,
)


def report_of(model: type[M]) -> Report[M]:
    """The registry entry of a report model."""
    for report in (*REPORTS, AUDIT_LOG, WORK_QUEUE):
        if report.model is model:
            return report
    raise KeyError(model.__name__)
