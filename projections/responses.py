"""Response history: per recommendation, every response and correction, every status change."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Table, select

from domain.clock import as_utc
from domain.codes import RecommendationStatus
from domain.recommendation import Recommendation
from projections.base import AppendOnly
from projections.errors import NotFound
from projections.models import Correction, ResponseEntry, ResponseHistory, StatusChange
from projections.sealing import PLAIN, Sealer
from projections.tables import (
    recommendations,
    response_corrections,
    responses,
    sealed_columns,
    status_changes,
)


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

    def _change(  # noqa: PLR0913 - one history row's fields
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
    one = (recommendation_id,)
    histories = _histories(conn, [(recommendation_id, header.number, header.text)], sealer, one)
    return histories[0]


def query_response_histories(
    conn: Connection,
    as_of: date,
    known_at: datetime,
    last_position: int,
    sealer: Sealer = PLAIN,
) -> list[tuple[str, ResponseHistory]]:
    """Every recommendation raised on or before ``as_of`` whose raising stands at or before
    ``last_position`` of the log (the last event recorded by ``known_at``), as
    ``query_response_history`` answers each, with only what was recorded by ``known_at``:
    responses dated and status changes effective on or before ``as_of``; by source, then
    number; each with its source's reference."""
    r = recommendations
    headers = conn.execute(
        select(r.c.recommendation_id, r.c.number, r.c.text, r.c.source_ref).where(
            r.c.position <= last_position, r.c.raised_on <= as_of
        )
    ).all()
    ordered = sorted(
        ((sealer.open(h.source_ref), h) for h in headers),
        key=lambda pair: (pair[0], pair[1].number, str(pair[1].recommendation_id)),
    )
    moment = as_utc(known_at)
    histories = _histories(
        conn,
        [(h.recommendation_id, h.number, h.text) for _, h in ordered],
        sealer,
        None,
        (
            (response_corrections.c.recorded_at <= moment,),
            (responses.c.recorded_at <= moment, responses.c.dated <= as_of),
            (status_changes.c.recorded_at <= moment, status_changes.c.effective_on <= as_of),
        ),
    )
    return [(ref, history) for (ref, _), history in zip(ordered, histories, strict=True)]


#: Conditions on corrections, responses and status changes (none: every row).
Conditions = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]


def _histories(
    conn: Connection,
    headers: list[tuple[UUID, int, str]],
    sealer: Sealer,
    ids: tuple[UUID, ...] | None,
    conditions: Conditions = ((), (), ()),
) -> list[ResponseHistory]:
    """The histories of the recommendations ``headers`` (id, number, sealed text), reading
    the rows of ``ids`` (None: every recommendation's) that meet ``conditions``."""
    on_corrections, on_responses, on_changes = conditions

    def of(table: Any) -> tuple[Any, ...]:
        return () if ids is None else (table.c.recommendation_id.in_(ids),)

    def rows(table: Table, conditions: tuple[Any, ...], *order: Any) -> Iterator[dict[str, Any]]:
        """The rows of ``table`` that meet ``conditions``, in ``order`` then as recorded, their
        sealed columns opened and the user who recorded each as ``by``."""
        sealed = sealed_columns(table)
        statement = select(table).where(*of(table), *conditions).order_by(*order, table.c.position)
        for row in conn.execute(statement).mappings():
            yield {**row, **{name: sealer.open(row[name]) for name in sealed}, "by": row["by_user"]}

    corrections: dict[tuple[UUID, int], list[Correction]] = defaultdict(list)
    for row in rows(response_corrections, on_corrections):
        corrections[row["recommendation_id"], row["number"]].append(Correction.of_row(row))
    entries: dict[UUID, list[ResponseEntry]] = defaultdict(list)
    for row in rows(responses, on_responses, responses.c.dated):
        own = corrections.get((row["recommendation_id"], row["number"]), [])
        entries[row["recommendation_id"]].append(
            ResponseEntry.of_row(
                row,
                text=own[-1].text if own else row["text"],
                original_text=row["text"],
                corrections=own,
            )
        )
    changes: dict[UUID, list[StatusChange]] = defaultdict(list)
    for row in rows(status_changes, on_changes, status_changes.c.effective_on):
        changes[row["recommendation_id"]].append(StatusChange.of_row(row))
    return [
        ResponseHistory(
            recommendation_id=id,
            number=number,
            text=sealer.open(text),
            responses=entries.get(id, []),
            status_changes=changes.get(id, []),
        )
        for id, number, text in headers
    ]
