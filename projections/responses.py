"""Response history: per recommendation, every response and correction, every status change."""

from uuid import UUID

from sqlalchemy import Connection, select

from domain.codes import RecommendationStatus
from domain.recommendation import Recommendation
from projections.base import AppendOnly
from projections.errors import NotFound
from projections.models import Correction, ResponseEntry, ResponseHistory, StatusChange
from projections.sealing import PLAIN, Sealer
from projections.tables import recommendations, response_corrections, responses, status_changes


class ResponsesProjection(AppendOnly):
    name = "response_history"
    tables = (recommendations, responses, response_corrections, status_changes)

    def register(self) -> None:
        self.handlers = {
            Recommendation.Raised: self._raised,
            Recommendation.ResponseRecorded: self._response,
            Recommendation.ResponseCorrected: self._correction,
            Recommendation.StatusChanged: self._status_changed,
            Recommendation.Closed: self._closed,
            Recommendation.Reopened: self._reopened,
        }

    def _raised(self, position: int, event: Recommendation.Raised) -> None:
        self.add(
            recommendations,
            {
                "recommendation_id": event.originator_id,
                "number": event.number,
                "text": event.text,
                "source_kind": event.source.kind.value,
                "source_ref": event.source.ref,
                "source_title": event.source.title,
                "raised_on": event.raised_on,
                "position": position,
            },
        )

    def _response(self, position: int, event: Recommendation.ResponseRecorded) -> None:
        self.add(
            responses,
            {
                "position": position,
                "recommendation_id": event.originator_id,
                "number": event.number,
                "text": event.text,
                "dated": event.dated,
                "agency": event.agency,
                "recorded_at": event.timestamp,
                "by_user": event.actor.user_id,
            },
        )

    def _correction(self, position: int, event: Recommendation.ResponseCorrected) -> None:
        self.add(
            response_corrections,
            {
                "position": position,
                "recommendation_id": event.originator_id,
                "number": event.number,
                "text": event.text,
                "reason": event.reason,
                "recorded_at": event.timestamp,
                "by_user": event.actor.user_id,
            },
        )

    def _change(
        self,
        position: int,
        event: Recommendation.StatusChanged | Recommendation.Closed | Recommendation.Reopened,
        change: str,
        status: RecommendationStatus,
        rag: str | None,
        reason: str,
    ) -> None:
        self.add(
            status_changes,
            {
                "position": position,
                "recommendation_id": event.originator_id,
                "change": change,
                "status": status.value,
                "rag": rag,
                "reason": reason,
                "effective_on": event.effective_on,
                "recorded_at": event.timestamp,
                "by_user": event.actor.user_id,
            },
        )

    def _status_changed(self, position: int, event: Recommendation.StatusChanged) -> None:
        rag = event.rag.value if event.rag is not None else None
        self._change(position, event, "status-changed", event.status, rag, event.reason)

    def _closed(self, position: int, event: Recommendation.Closed) -> None:
        self._change(position, event, "closed", RecommendationStatus.CLOSED, None, event.reason)

    def _reopened(self, position: int, event: Recommendation.Reopened) -> None:
        status = RecommendationStatus.IN_PROGRESS
        self._change(position, event, "reopened", status, None, event.reason)


def query_response_history(
    conn: Connection, recommendation_id: UUID, sealer: Sealer = PLAIN
) -> ResponseHistory:
    """Responses in the order of their dates (ties as recorded), each with its corrections in
    the order recorded.

    ``text`` is the response as it reads now, ``original_text`` as first recorded. A closing
    or reopening is a status change too (closed; reopened to in progress), without a RAG.
    Status changes are in the order they took effect (``effective_on``), ties as recorded.
    """
    header = conn.execute(
        select(recommendations.c.number, recommendations.c.text).where(
            recommendations.c.recommendation_id == recommendation_id
        )
    ).first()
    if header is None:
        raise NotFound(f"no recommendation {recommendation_id}")
    corrections: dict[int, list[Correction]] = {}
    for row in conn.execute(
        select(response_corrections)
        .where(response_corrections.c.recommendation_id == recommendation_id)
        .order_by(response_corrections.c.position)
    ).mappings():
        corrections.setdefault(row["number"], []).append(
            Correction(
                text=sealer.open(row["text"]),
                reason=sealer.open(row["reason"]),
                recorded_at=row["recorded_at"],
                by=row["by_user"],
            )
        )
    entries = []
    for row in conn.execute(
        select(responses)
        .where(responses.c.recommendation_id == recommendation_id)
        .order_by(responses.c.dated, responses.c.position)
    ).mappings():
        own = corrections.get(row["number"], [])
        original = sealer.open(row["text"])
        entries.append(
            ResponseEntry(
                number=row["number"],
                text=own[-1].text if own else original,
                original_text=original,
                dated=row["dated"],
                agency=row["agency"],
                recorded_at=row["recorded_at"],
                by=row["by_user"],
                corrections=own,
            )
        )
    changes = [
        StatusChange(
            change=row["change"],
            status=row["status"],
            rag=row["rag"],
            reason=sealer.open(row["reason"]),
            effective_on=row["effective_on"],
            recorded_at=row["recorded_at"],
            by=row["by_user"],
        )
        for row in conn.execute(
            select(status_changes)
            .where(status_changes.c.recommendation_id == recommendation_id)
            .order_by(status_changes.c.effective_on, status_changes.c.position)
        ).mappings()
    ]
    return ResponseHistory(
        recommendation_id=recommendation_id,
        number=header.number,
        text=sealer.open(header.text),
        responses=entries,
        status_changes=changes,
    )
