"""Record quality: per audit, meetings assessed clear vs lacking clarity."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from domain.clock import as_utc
from domain.codes import QualityRating
from domain.meeting import StrategyMeeting
from projections.base import AppendOnly
from projections.models import RecordQuality, pct
from projections.tables import quality_assessments


class QualityProjection(AppendOnly):
    name = "record_quality"
    tables = (quality_assessments,)

    def register(self) -> None:
        self.handlers = {StrategyMeeting.QualityAssessed: self._assessed}

    def _assessed(self, position: int, event: StrategyMeeting.QualityAssessed) -> None:
        self.add(
            quality_assessments,
            {
                "position": position,
                "meeting_id": event.originator_id,
                "audit_ref": event.audit_ref,
                "rating": event.rating.value,
                "notes": event.notes,
                "assessed_by": event.actor.user_id,
                "recorded_at": event.timestamp,
            },
        )


def query_record_quality(
    conn: Connection, audit_ref: str, known_at: datetime | None = None
) -> RecordQuality:
    """Meetings assessed under ``audit_ref``; a meeting assessed again counts by its latest
    (the latest recorded by ``known_at``, when given)."""
    t = quality_assessments
    latest = (
        select(func.max(t.c.position))
        .where(t.c.audit_ref == audit_ref, *_recorded_by(known_at))
        .group_by(t.c.meeting_id)
        .scalar_subquery()
    )
    statement = (
        select(t.c.rating, func.count())
        .where(t.c.audit_ref == audit_ref, t.c.position.in_(latest))
        .group_by(t.c.rating)
    )
    counts: dict[str, int] = dict(conn.execute(statement).tuples().all())
    assessed = sum(counts.values())
    clear = counts.get(QualityRating.CLEAR.value, 0)
    lacks = counts.get(QualityRating.LACKS_CLARITY.value, 0)
    return RecordQuality(
        audit_ref=audit_ref,
        assessed=assessed,
        clear=clear,
        lacks_clarity=lacks,
        clear_pct=pct(clear, assessed),
        lacks_clarity_pct=pct(lacks, assessed),
    )


def query_audit_refs(conn: Connection, known_at: datetime | None = None) -> list[str]:
    """Every audit with an assessment (recorded by ``known_at``, when given), in order."""
    t = quality_assessments
    statement = select(t.c.audit_ref).where(*_recorded_by(known_at)).distinct()
    return sorted(conn.execute(statement).scalars())


def _recorded_by(moment: datetime | None) -> tuple[Any, ...]:
    t = quality_assessments
    return () if moment is None else (t.c.recorded_at <= as_utc(moment),)
