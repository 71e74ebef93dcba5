"""Record quality: per audit, meetings assessed clear vs lacking clarity."""

from sqlalchemy import Connection, select

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


def query_record_quality(conn: Connection, audit_ref: str) -> RecordQuality:
    """Meetings assessed under ``audit_ref``; a meeting assessed again counts by its latest."""
    t = quality_assessments
    statement = (
        select(t.c.meeting_id, t.c.rating).where(t.c.audit_ref == audit_ref).order_by(t.c.position)
    )
    latest = dict(conn.execute(statement).tuples().all())
    clear = sum(rating == QualityRating.CLEAR.value for rating in latest.values())
    lacks = sum(rating == QualityRating.LACKS_CLARITY.value for rating in latest.values())
    return RecordQuality(
        audit_ref=audit_ref,
        assessed=len(latest),
        clear=clear,
        lacks_clarity=lacks,
        clear_pct=pct(clear, len(latest)),
        lacks_clarity_pct=pct(lacks, len(latest)),
    )
