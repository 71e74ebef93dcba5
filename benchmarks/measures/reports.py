"""Reads p95 in-process through the presentation facade (``services.queries``), as HTTP and
the CLI ask them: reports, the audit log, the event feed, one aggregate's state and history."""

import itertools
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import TypeVar

from application.queries import (
    AttendanceQuery,
    AuditLogQuery,
    FeedQuery,
    HistoryQuery,
    OverdueQuery,
    QualityQuery,
    ResponsesQuery,
    StateQuery,
    TimelinessQuery,
)
from benchmarks.harness import Row, latencies_ms, median, percentile, progress, time_row
from benchmarks.log import Summary
from infrastructure.presentation.queries import Queries
from tests.builders import ACTOR

T = TypeVar("T")
Read = Callable[[], object]


def month_of(day: date) -> tuple[date, date]:
    """The calendar month before the one ``day`` is in."""
    end = day.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def reads(queries: Queries, summary: Summary, head: int) -> list[tuple[str, float, Read]]:
    """Each read's name, its goal (ms, p95) and a call of it (rotating over aggregates)."""
    assert summary.first is not None
    assert summary.last is not None
    as_of = summary.last.date()
    middle: datetime = summary.first + (summary.last - summary.first) / 2
    start, end = month_of(as_of)
    meetings = itertools.cycle(summary.meeting_ids)
    # Meetings are listed in the order written: the first third were recorded before ``middle``
    # on any log (on a small one the list holds them all, the last recorded after it).
    early_meetings = itertools.cycle(summary.meeting_ids[: max(1, len(summary.meeting_ids) // 3)])
    recommendations = itertools.cycle(summary.recommendation_ids)
    audit_ref = sorted(summary.audit_refs)[len(summary.audit_refs) // 2]
    q = queries

    def turn(ids: Iterator[T]) -> T:
        return next(ids)

    return [
        ("overdue as of a date", 10, lambda: q.overdue_actions(ACTOR, OverdueQuery(as_of=as_of))),
        (
            "overdue with a past `known_at`",
            10,
            lambda: q.overdue_actions(ACTOR, OverdueQuery(as_of=as_of, known_at=middle)),
        ),
        (
            "overdue of one agency",
            10,
            lambda: q.overdue_actions(ACTOR, OverdueQuery(as_of=as_of, agency="police")),
        ),
        (
            "attendance for a month",
            20,
            lambda: q.attendance_compliance(ACTOR, AttendanceQuery(from_date=start, to_date=end)),
        ),
        (
            "attendance for a year",
            100,
            lambda: q.attendance_compliance(
                ACTOR, AttendanceQuery(from_date=as_of - timedelta(days=365), to_date=as_of)
            ),
        ),
        (
            "timeliness for a month",
            20,
            lambda: q.meeting_timeliness(ACTOR, TimelinessQuery(from_date=start, to_date=end)),
        ),
        ("record quality", 10, lambda: q.record_quality(ACTOR, QualityQuery(audit_ref))),
        (
            "response history",
            10,
            lambda: q.response_history(ACTOR, ResponsesQuery(turn(recommendations))),
        ),
        (
            "audit log by aggregate",
            10,
            lambda: q.audit_log(ACTOR, AuditLogQuery(aggregate_id=turn(meetings))),
        ),
        (
            "`/events` page of 500",
            30,
            lambda: q.events(ACTOR, FeedQuery(after=head // 2, limit=500)),
        ),
        ("GET state", 5, lambda: q.state(ACTOR, StateQuery(turn(meetings)))),
        ("GET history", 5, lambda: q.history(ACTOR, HistoryQuery(turn(meetings)))),
        ("GET `?version=3`", 5, lambda: q.state(ACTOR, StateQuery(turn(meetings), version=3))),
        ("GET `?at`", 5, lambda: q.state(ACTOR, StateQuery(turn(early_meetings), at=middle))),
    ]


def measure(
    store: str, queries: Queries, summary: Summary, head: int, count: int, repeat: int
) -> list[Row]:
    rows = []
    for name, goal, read in reads(queries, summary, head):
        progress(f"{store}: {name}, {count} calls x {repeat}")
        p95 = median([percentile(latencies_ms(read, count), 0.95) for _ in range(repeat)])
        rows.append(time_row(f"{name} (p95)", store, p95, goal=goal))
    return rows
