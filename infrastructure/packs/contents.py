"""What a pack holds: its inputs, the checkpoint it was computed at, and the reports, each read
from the read side as it stood on the day ``as_of`` and as known at ``known_at``.

The figures are the reports' own (``projections``), never recomputed here; names of users are
left out (the users store is not part of the log: a renamed user would change the pack).
"""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from application.queries import PackQuery
from domain.clock import as_utc
from domain.codes import RecommendationStatus
from infrastructure.integrity.links import Checkpoint
from projections.models import (
    AttendanceCompliance,
    MeetingTimeliness,
    OverdueActions,
    RecordQuality,
    ResponseHistory,
)
from projections.service import ReadService


class PackInputs(BaseModel):
    """What a pack is a function of, with the log: regenerating from the same inputs gives the
    same bytes. ``known_at`` is UTC, to the microsecond; ``checkpoint`` is its ``seq``."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    from_date: date
    known_at: datetime
    checkpoint: int

    @classmethod
    def of(cls, query: PackQuery, checkpoint: int) -> "PackInputs":
        start, end = query.period()
        return cls(
            as_of=end, from_date=start, known_at=as_utc(query.known_at), checkpoint=checkpoint
        )

    def query(self) -> PackQuery:
        return PackQuery(
            as_of=self.as_of,
            known_at=self.known_at,
            from_date=self.from_date,
            checkpoint=self.checkpoint,
        )


class PackRecommendation(BaseModel):
    """A recommendation on ``as_of``: its source, status and RAG then (from the last status
    change in effect, as the response history orders them), and its history."""

    source_ref: str
    status: str
    rag: str | None
    history: ResponseHistory


class PackContents(BaseModel):
    """Everything a pack shows, the sections in the order of the pack."""

    partnership: str
    inputs: PackInputs
    #: The checkpoint as a witness line holds it (signature included).
    checkpoint: dict[str, object]
    attendance: AttendanceCompliance
    timeliness: MeetingTimeliness
    record_quality: list[RecordQuality]
    overdue: OverdueActions
    recommendations: list[PackRecommendation]


#: The sections whose canonical data the manifest hashes, in the order of the pack.
SECTIONS = (
    "checkpoint",
    "attendance",
    "timeliness",
    "record_quality",
    "overdue",
    "recommendations",
)


def gather(
    read: ReadService, partnership: str, inputs: PackInputs, checkpoint: Checkpoint
) -> PackContents:
    """The reports of a pack, as of ``inputs.as_of`` and as known at ``inputs.known_at``."""
    start, end, moment = inputs.from_date, inputs.as_of, inputs.known_at
    last = read.last_position_recorded_by(moment)
    return PackContents(
        partnership=partnership,
        inputs=inputs,
        checkpoint=checkpoint.as_json(),
        attendance=read.attendance_compliance(start, end, "month", moment),
        timeliness=read.meeting_timeliness(start, end, moment),
        record_quality=read.record_quality_by_audit(moment),
        overdue=read.overdue_actions(end, None, moment),
        recommendations=[
            item
            for source_ref, history in read.response_histories(end, moment, last)
            if (item := _recommendation(source_ref, history)).status
            != RecommendationStatus.CLOSED.value
            or _changed_since(history, start)
        ],
    )


def _recommendation(source_ref: str, history: ResponseHistory) -> PackRecommendation:
    last = history.status_changes[-1] if history.status_changes else None
    return PackRecommendation(
        source_ref=source_ref,
        status=last.status if last else RecommendationStatus.OPEN.value,
        rag=last.rag if last else None,
        history=history,
    )


def _changed_since(history: ResponseHistory, start: date) -> bool:
    """Whether anything of a (closed) recommendation happened in the period: it stays in."""
    return any(c.effective_on >= start for c in history.status_changes) or any(
        r.dated >= start for r in history.responses
    )
