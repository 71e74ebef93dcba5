"""ProjectionSkip: governance's reasoned decision that one read model passes one event.

A read model that cannot apply an event stalls at it. Moving it past that event is itself an
event of the log, with who, when and why, so nothing is dropped unnoticed. The id derives from
the read model's name and the event's position: at most one skip per event, and a projection
runner can look it up by id.
"""

from uuid import UUID, uuid5

from domain.errors import InvalidInput
from domain.events import Envelope, TrailAggregate
from domain.rules import require_text

SKIP_NAMESPACE = UUID("0b9e4c1a-51f3-4a8e-9d2c-6f1e8a7b3c55")


class ProjectionSkip(TrailAggregate):
    TOPIC = "actiontrail.ProjectionSkip"

    class Event(TrailAggregate.Event):
        TOPIC = "actiontrail.ProjectionSkip.Event"

    class Recorded(Event, TrailAggregate.Created):
        TOPIC = "actiontrail.ProjectionSkip.Recorded"
        projection: str
        position: int
        reason: str

        def apply(self, aggregate: "ProjectionSkip") -> None:
            self.copy_facts(aggregate)

    projection: str
    position: int
    reason: str

    def __init__(self) -> None:
        super().__init__()

    @staticmethod
    def id_for(projection: str, position: int) -> UUID:
        """The id of the skip of the event at ``position`` by the read model ``projection``."""
        return uuid5(SKIP_NAMESPACE, f"{projection}\n{position}")

    @classmethod
    def grant(
        cls, *, projection: str, position: int, reason: str, by: Envelope
    ) -> "ProjectionSkip":
        if position < 1:
            raise InvalidInput("a log position starts at 1")
        name = require_text(projection, "projection")
        return cls.create(
            cls.Recorded,
            id=cls.id_for(name, position),
            projection=name,
            position=position,
            reason=require_text(reason, "reason"),
            by=by,
        )
