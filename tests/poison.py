"""Events no read model can store, written below the edge (as a store written by an older or
buggy version could hold them), to prove a projection that cannot apply one stalls visibly."""

from datetime import date
from uuid import UUID, uuid4

from application.service import ActionTrail
from domain.action import AgencyAction
from domain.codes import ActionSourceKind, RecommendationSourceKind
from domain.events import Envelope
from domain.recommendation import Recommendation
from domain.values import ActionSource, Actor, RecommendationSource

#: Larger than any SQL integer column holds (SQLite and PostgreSQL alike).
HUGE = 10**30


def poison_recommendation(app: ActionTrail, by: Actor) -> tuple[UUID, int]:
    """A recommendation numbered ``HUGE``: only ``response_history`` stores the number, and it
    cannot. Answers its id and the event's position."""
    recommendation = Recommendation.create(
        Recommendation.Raised,
        id=uuid4(),
        by=Envelope(by, f"poison-{uuid4()}"),
        source=RecommendationSource(RecommendationSourceKind.AUDIT, "POISON", "Poison"),
        number=HUGE,
        text="A number no database stores",
        raised_on=date(2023, 10, 16),
    )
    (recording,) = app.save(recommendation)
    return recommendation.id, recording.notification.id


def nul_action(app: ActionTrail, by: Actor) -> int:
    """An action whose description holds a NUL, which PostgreSQL text refuses; its position."""
    action = AgencyAction.create(
        AgencyAction.Assigned,
        id=uuid4(),
        by=Envelope(by, f"poison-{uuid4()}"),
        source=ActionSource(ActionSourceKind.MARAC, "MARAC-NUL"),
        agency="health",
        owner_role=None,
        description="a\x00b",
        due_on=date(2023, 9, 30),
    )
    (recording,) = app.save(action)
    return recording.notification.id
