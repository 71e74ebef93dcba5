"""Reports from the read models; each reflects every command answered before it."""

from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from application.inputs import Code, Day
from domain.clock import london_today
from infrastructure.http.access import READERS, overdue_scope
from infrastructure.http.auth import CurrentUser, allow
from infrastructure.http.parameters import Timestamp
from infrastructure.http.services import ServicesDep
from infrastructure.http.tabular import (
    REPORT_COLUMNS,
    Rows,
    attendance_rows,
    overdue_rows,
    quality_rows,
    response_rows,
    timeliness_rows,
    to_csv,
)
from infrastructure.users import User
from projections.models import (
    AttendanceCompliance,
    MeetingTimeliness,
    OverdueActions,
    RecordQuality,
    ResponseHistory,
)

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report, as JSON or (format=csv) as CSV",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
router = APIRouter(prefix="/reports", tags=["reports"], responses=CSV_RESPONSE)
Reader = Annotated[User, Depends(allow(*READERS, to="read reports"))]


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[
    Format, Query(description="csv: a CSV download with the columns of the JSON rows")
]
KnownAt = Annotated[
    Timestamp | None,
    Query(description="as the records stood at this timestamp (ISO 8601 with offset)"),
]
From = Annotated[Day | None, Query(alias="from", description="default: 12 months to 'to'")]
To = Annotated[Day | None, Query(alias="to", description="default: today")]


def answer(
    report: BaseModel, format: Format, rows: Callable[[Any], Rows], columns: list[str], name: str
) -> Any:
    if format is Format.JSON:
        return report
    return Response(
        to_csv(rows(report), columns),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _year_to(to: date | None) -> tuple[date, date]:
    end = to or london_today()
    return end.replace(day=1) - timedelta(days=335), end


@router.get(
    "/overdue-actions",
    response_model=OverdueActions,
    summary="Actions overdue as of a date, as known at a time",
)
def overdue_actions(
    services: ServicesDep,
    user: CurrentUser,
    as_of: Annotated[Day | None, Query(description="default: today")] = None,
    agency: Code | None = None,
    known_at: KnownAt = None,
    format: FormatQuery = Format.JSON,
) -> Any:
    scope = overdue_scope(user, agency)
    report = services.read.overdue_actions(as_of or london_today(), scope, known_at)
    return answer(report, format, overdue_rows, REPORT_COLUMNS[OverdueActions], "overdue-actions")


@router.get(
    "/attendance-compliance",
    response_model=AttendanceCompliance,
    summary="Agencies invited and attending, for meetings held in a period",
)
def attendance_compliance(
    services: ServicesDep,
    user: Reader,
    from_date: From = None,
    to_date: To = None,
    group_by: Literal["month", "team"] = "month",
    known_at: KnownAt = None,
    format: FormatQuery = Format.JSON,
) -> Any:
    start, end = _year_to(to_date)
    report = services.read.attendance_compliance(from_date or start, end, group_by, known_at)
    columns = REPORT_COLUMNS[AttendanceCompliance]
    return answer(report, format, attendance_rows, columns, "attendance-compliance")


@router.get(
    "/meeting-timeliness",
    response_model=MeetingTimeliness,
    summary="Meetings held, and records shared, within the standard",
)
def meeting_timeliness(
    services: ServicesDep,
    user: Reader,
    from_date: From = None,
    to_date: To = None,
    known_at: KnownAt = None,
    format: FormatQuery = Format.JSON,
) -> Any:
    start, end = _year_to(to_date)
    report = services.read.meeting_timeliness(from_date or start, end, known_at)
    return answer(
        report, format, timeliness_rows, REPORT_COLUMNS[MeetingTimeliness], "meeting-timeliness"
    )


@router.get(
    "/record-quality", response_model=RecordQuality, summary="Records assessed under an audit"
)
def record_quality(
    services: ServicesDep,
    user: Reader,
    audit_ref: Annotated[Code, Query(description="the audit's reference")],
    format: FormatQuery = Format.JSON,
) -> Any:
    report = services.read.record_quality(audit_ref)
    return answer(report, format, quality_rows, REPORT_COLUMNS[RecordQuality], "record-quality")


@router.get(
    "/response-history/{recommendation_id}",
    response_model=ResponseHistory,
    summary="A recommendation's responses, corrections and status changes",
)
def response_history(
    services: ServicesDep,
    user: Reader,
    recommendation_id: Annotated[UUID, Path()],
    format: FormatQuery = Format.JSON,
) -> Any:
    report = services.read.response_history(recommendation_id)
    return answer(
        report, format, response_rows, REPORT_COLUMNS[ResponseHistory], "response-history"
    )
