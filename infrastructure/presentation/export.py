"""Every report as one table, for BI tools and board packs (``actiontrail export``): the
facade's answer to ``ExportQuery``, each table read through its ``ask``.

Record quality is exported for every audit that assessed a record, the response history for
every recommendation, and the audit log whole; each table has its report's CSV columns.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from application.queries import (
    AttendanceQuery,
    AuditLogQuery,
    CompletedLateQuery,
    ExportQuery,
    OverdueQuery,
    QualityQuery,
    Query,
    ResponsesQuery,
    TimelinessQuery,
)
from infrastructure.presentation.reports import (
    ATTENDANCE_COMPLIANCE,
    AUDIT_LOG,
    COMPLETED_LATE,
    MEETING_TIMELINESS,
    OVERDUE_ACTIONS,
    RECORD_QUALITY,
    RESPONSE_HISTORY,
    Rows,
    dump,
    to_csv,
)
from projections.models import LogEntry
from projections.service import MAX_FEED_PAGE


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    #: Read when called, so that a caller can show progress table by table.
    rows: Callable[[], Rows]

    def csv(self, rows: Rows) -> str:
        return to_csv(rows, self.columns)


def export_tables(ask: Callable[[Query], Any], query: ExportQuery) -> list[Table]:
    """The tables to write, each read by ``ask`` (the facade's, for the one who exports)."""

    def events(type: str | None = None) -> Iterator[LogEntry]:
        """Every event (of one type), oldest first, page by page."""
        after = 0
        while True:
            page = ask(AuditLogQuery(type=type, after=after, limit=MAX_FEED_PAGE))
            yield from page.events
            if not page.events:
                return
            after = page.next_after

    def record_quality() -> Rows:
        assessed = events("StrategyMeeting.QualityAssessed")
        refs = sorted({str(e.data["audit_ref"]) for e in assessed})
        return [row for ref in refs for row in RECORD_QUALITY.rows(ask(QualityQuery(ref)))]

    def response_history() -> Rows:
        rows: Rows = []
        for raised in events("Recommendation.Raised"):
            history = ask(ResponsesQuery(raised.aggregate_id))
            rows.extend(
                {"recommendation_id": str(raised.aggregate_id), "recommendation": history.number}
                | row
                for row in RESPONSE_HISTORY.rows(history)
            )
        return rows

    return [
        Table(
            OVERDUE_ACTIONS.name,
            OVERDUE_ACTIONS.columns,
            lambda: OVERDUE_ACTIONS.rows(ask(OverdueQuery(as_of=query.as_of))),
        ),
        Table(
            COMPLETED_LATE.name,
            COMPLETED_LATE.columns,
            lambda: COMPLETED_LATE.rows(ask(CompletedLateQuery(query.from_date, query.to_date))),
        ),
        Table(
            ATTENDANCE_COMPLIANCE.name,
            ATTENDANCE_COMPLIANCE.columns,
            lambda: ATTENDANCE_COMPLIANCE.rows(
                ask(AttendanceQuery(query.from_date, query.to_date))
            ),
        ),
        Table(
            MEETING_TIMELINESS.name,
            MEETING_TIMELINESS.columns,
            lambda: MEETING_TIMELINESS.rows(ask(TimelinessQuery(query.from_date, query.to_date))),
        ),
        Table(RECORD_QUALITY.name, RECORD_QUALITY.columns, record_quality),
        Table(
            RESPONSE_HISTORY.name,
            ("recommendation_id", "recommendation", *RESPONSE_HISTORY.columns),
            response_history,
        ),
        Table(AUDIT_LOG.name, AUDIT_LOG.columns, lambda: dump(list(events()))),
    ]
