"""Reports from the read models, as JSON or CSV; each reflects every command answered before it.

Each route parses its parameters into the application's query and asks the presentation facade;
paths, models and CSV columns come from the report registry.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from application.inputs import Code, Day
from application.queries import (
    AttendanceQuery,
    CompletedLateQuery,
    Grouping,
    OverdueQuery,
    QualityQuery,
    ResponsesQuery,
    TimelinessQuery,
)
from infrastructure.http.auth import asking
from infrastructure.http.parameters import Timestamp
from infrastructure.presentation.reports import (
    ATTENDANCE_COMPLIANCE,
    COMPLETED_LATE,
    MEETING_TIMELINESS,
    OVERDUE_ACTIONS,
    RECORD_QUALITY,
    RESPONSE_HISTORY,
    Report,
)
from infrastructure.storage.users import User
from infrastructure.web.downloads import csv_download
from infrastructure.web.services import ServicesDep

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report, as JSON or (format=csv) as CSV",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
router = APIRouter(prefix="/reports", tags=["reports"], responses=CSV_RESPONSE)
M = TypeVar("M", bound=BaseModel)
F = TypeVar("F", bound=Callable[..., Any])


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
OverdueReader = Annotated[User, Depends(asking(OverdueQuery))]
CompletedLateReader = Annotated[User, Depends(asking(CompletedLateQuery))]
AttendanceReader = Annotated[User, Depends(asking(AttendanceQuery))]
TimelinessReader = Annotated[User, Depends(asking(TimelinessQuery))]
QualityReader = Annotated[User, Depends(asking(QualityQuery))]
ResponsesReader = Annotated[User, Depends(asking(ResponsesQuery))]


def route(report: Report[Any], path: str = "") -> Callable[[F], F]:
    """The GET route of a registered report."""
    return router.get(
        f"/{report.name}{path}", response_model=report.model, summary=report.summary.capitalize()
    )


def answer(report: Report[M], model: M, format: Format) -> Any:
    return model if format is Format.JSON else csv_download(report, model)


@route(OVERDUE_ACTIONS)
def overdue_actions(
    services: ServicesDep,
    user: OverdueReader,
    as_of: Annotated[Day | None, Query(description="default: today")] = None,
    agency: Code | None = None,
    known_at: KnownAt = None,
    format: FormatQuery = Format.JSON,
) -> Any:
    query = OverdueQuery(as_of, agency, known_at)
    return answer(OVERDUE_ACTIONS, services.queries.overdue_actions(user.actor, query), format)


@route(COMPLETED_LATE)
def completed_late(
    services: ServicesDep,
    user: CompletedLateReader,
    from_date: From = None,
    to_date: To = None,
    agency: Annotated[
        Code | None,
        Query(
            description="the agency owning the action on its completion date (agency staff: "
            "their own, whatever they ask)"
        ),
    ] = None,
    known_at: KnownAt = None,
    format: FormatQuery = Format.JSON,
) -> Any:
    """Actions completed from `from` to `to` (their `completed_on`) after the due date in force
    on that date: the latest revision effective on or before it (in effective order, ties in
    the order recorded), else the original. `days_late` in calendar days, `working_days_late`
    in working days of England and Wales after the due date; `agencies` counts, per agency, the
    actions completed in the period and those completed late. An action reopened or cancelled
    since its completion is not counted."""
    query = CompletedLateQuery(from_date, to_date, agency, known_at)
    return answer(COMPLETED_LATE, services.queries.completed_late(user.actor, query), format)


@route(ATTENDANCE_COMPLIANCE)
def attendance_compliance(
    services: ServicesDep,
    user: AttendanceReader,
    from_date: From = None,
    to_date: To = None,
    group_by: Grouping = "month",
    known_at: KnownAt = None,
    format: FormatQuery = Format.JSON,
) -> Any:
    query = AttendanceQuery(from_date, to_date, group_by, known_at)
    report = services.queries.attendance_compliance(user.actor, query)
    return answer(ATTENDANCE_COMPLIANCE, report, format)


@route(MEETING_TIMELINESS)
def meeting_timeliness(
    services: ServicesDep,
    user: TimelinessReader,
    from_date: From = None,
    to_date: To = None,
    known_at: KnownAt = None,
    format: FormatQuery = Format.JSON,
) -> Any:
    query = TimelinessQuery(from_date, to_date, known_at)
    return answer(
        MEETING_TIMELINESS, services.queries.meeting_timeliness(user.actor, query), format
    )


@route(RECORD_QUALITY)
def record_quality(
    services: ServicesDep,
    user: QualityReader,
    audit_ref: Annotated[Code, Query(description="the audit's reference")],
    format: FormatQuery = Format.JSON,
) -> Any:
    query = QualityQuery(audit_ref)
    return answer(RECORD_QUALITY, services.queries.record_quality(user.actor, query), format)


@route(RESPONSE_HISTORY, "/{recommendation_id}")
def response_history(
    services: ServicesDep,
    user: ResponsesReader,
    recommendation_id: Annotated[UUID, Path()],
    format: FormatQuery = Format.JSON,
) -> Any:
    query = ResponsesQuery(recommendation_id)
    return answer(RESPONSE_HISTORY, services.queries.response_history(user.actor, query), format)
