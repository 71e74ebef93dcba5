"""What the application returns besides aggregates: command results and recorded events.

The front ends shape aggregates and events for their users (``infrastructure.presentation``); an
event is shaped there exactly as the audit log shapes it.
"""

from typing import NamedTuple
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.events import TrailAggregate


class CommandResult(BaseModel):
    """What every command answers: the aggregate, its new version, the event's log position,
    and a ``note`` when there is more to say (a back-dated change recorded, but the current
    state stays as it was)."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    version: int
    position: int
    note: str | None = None


class Recorded(NamedTuple):
    """An event with its position in the global log."""

    position: int
    event: TrailAggregate.Event
