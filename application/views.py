"""Read-side shapes the application returns: command results and history entries."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.codes import Role
from domain.events import TrailAggregate


class CommandResult(BaseModel):
    """What every command answers: the aggregate, its new version, the event's log position."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    version: int
    position: int


class ActorView(BaseModel):
    user: str
    role: Role
    agency: str | None


class HistoryEntry(BaseModel):
    position: int
    version: int
    type: str
    recorded_at: datetime
    effective: date | datetime | None
    actor: ActorView
    command_id: str
    data: dict[str, Any]
    aggregate_type: str
    aggregate_id: UUID

    @classmethod
    def of(cls, event: TrailAggregate.Event, position: int) -> "HistoryEntry":
        return cls(
            position=position,
            version=event.originator_version,
            type=event.type_name(),
            recorded_at=event.timestamp,
            effective=event.effective,
            actor=ActorView(
                user=event.actor.user_id, role=event.actor.role, agency=event.actor.agency
            ),
            command_id=event.command_id,
            data=event.data_as_json(),
            aggregate_type=event.aggregate_type(),
            aggregate_id=event.originator_id,
        )
