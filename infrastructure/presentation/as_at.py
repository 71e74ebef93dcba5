"""A record as it stood at a point in time, with everything a page of it shows at that point.

Every part is derived from the one aggregate the application folded for that point
(``TrailAggregate.as_at``), so none of them can show a fact the state leaves out: the state, the
events it is made of, and for a recommendation its response history (responses with their
corrections, changes of status), in the order the response history report gives them.
"""

from typing import Literal

from pydantic import BaseModel

from domain.codes import RecommendationStatus
from domain.recommendation import Recommendation
from infrastructure.presentation.states import AggregateState, RecommendationState
from projections.models import ResponseHistory, StatusChange

CHANGES: dict[type[Recommendation.Event], Literal["status-changed", "closed", "reopened"]] = {
    Recommendation.StatusChanged: "status-changed",
    Recommendation.Closed: "closed",
    Recommendation.Reopened: "reopened",
}


class AsAt(BaseModel):
    """A record at one point: its state, the versions of the events it is made of (oldest
    recorded first) and, for a recommendation, its response history then (``None`` for those
    who may not read the reports)."""

    state: AggregateState
    versions: list[int]
    responses: ResponseHistory | None = None


def response_history_of(recommendation: Recommendation) -> ResponseHistory:
    """A recommendation's responses and changes of status as its state holds them: what the
    response history report answers, for the same events."""
    state = RecommendationState.of(recommendation)
    changes = []
    for event in recommendation.status_history:
        if isinstance(event, Recommendation.StatusChanged):
            status, rag = event.status.value, event.rag.value if event.rag else None
        else:
            closed = isinstance(event, Recommendation.Closed)
            status = (
                RecommendationStatus.CLOSED if closed else RecommendationStatus.IN_PROGRESS
            ).value
            rag = None
        changes.append(
            StatusChange(
                change=CHANGES[type(event)],
                status=status,
                rag=rag,
                reason=event.reason,
                effective_on=event.effective_on,
                recorded_at=event.timestamp,
                by=event.actor.user_id,
            )
        )
    return ResponseHistory(
        recommendation_id=recommendation.id,
        number=recommendation.number,
        text=recommendation.text,
        responses=state.responses,
        status_changes=changes,
    )
