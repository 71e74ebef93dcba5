"""What every actiontrail event carries besides its own facts.

``timestamp`` (the library's field) is the recorded-at time, taken from ``domain.clock``.
``actor`` and ``command_id`` say who caused the event and through which command. ``effective``
is when the fact happened in the world, for the events that describe one; the others take effect
when recorded.
"""

import dataclasses
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Self, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, CanInitAggregate, TAggregate

from domain.clock import london_date, real_time_value, utc_now
from domain.values import Actor


@dataclass(frozen=True)
class Envelope:
    """Who causes the events of one command, and that command's id."""

    actor: Actor
    command_id: str


TOPIC_PREFIX = "actiontrail."
T = TypeVar("T", bound="TrailAggregate")
BASE_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "actor", "command_id"}
)


#: Values that are JSON data as they are: most of an event's, so ``as_json`` looks first.
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def as_json(value: Any) -> Any:
    """A value of an event as plain JSON data."""
    if type(value) in _JSON_SCALARS:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    return value


class TrailAggregate(Aggregate):
    """Base aggregate: remembers which command produced which version (idempotent retries)."""

    TOPIC = "actiontrail.TrailAggregate"

    class Event(Aggregate.Event):
        TOPIC = "actiontrail.TrailAggregate.Event"
        actor: Actor
        command_id: str

        @staticmethod
        def create_timestamp() -> datetime:
            return utc_now()

        @property
        def effective(self) -> date | datetime | None:
            """When the fact happened in the world; None when it takes effect on recording."""
            return None

        @property
        def linked_aggregate_id(self) -> UUID | None:
            """The id of another aggregate this event created or linked to, if any."""
            return None

        @classmethod
        def type_name(cls) -> str:
            """The public event type, e.g. ``StrategyMeeting.Held`` (the topic less its prefix)."""
            return str(cls.TOPIC).removeprefix(TOPIC_PREFIX)

        @classmethod
        def aggregate_type(cls) -> str:
            return cls.type_name().partition(".")[0]

        def data(self) -> dict[str, Any]:
            """The event's own facts, without the envelope."""
            return {k: v for k, v in self.__dict__.items() if k not in BASE_FIELDS}

        def data_as_json(self) -> dict[str, Any]:
            """The event's own facts as JSON values (codes, ISO dates, dicts): ``data`` in one
            pass (an entry of the feed or the audit log takes it of every event)."""
            return {k: as_json(v) for k, v in self.__dict__.items() if k not in BASE_FIELDS}

        def mutate(self, aggregate: TAggregate | None) -> TAggregate | None:
            result = super().mutate(aggregate)
            if isinstance(result, TrailAggregate):
                result.command_versions[(self.actor.user_id, self.command_id)] = (
                    self.originator_version
                )
            return result

    def __init__(self) -> None:
        self.command_versions: dict[tuple[str, str], int] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        """A copy sharing nothing mutable with this aggregate, as ``copy.deepcopy`` makes it
        (the library's aggregate cache answers one to every command), but copying one level
        only ``command_versions`` (immutable keys and values: tuples of strings, ints; an entry
        per event) and lists of strings (progress notes): most of a deep copy's work."""
        copied = object.__new__(type(self))
        memo[id(self)] = copied
        for name, value in self.__dict__.items():
            if name == "command_versions":
                value = dict(value)
            elif type(value) is list and all(type(item) is str for item in value):
                value = list(value)
            else:
                value = deepcopy(value, memo)
            copied.__dict__[name] = value
        return copied

    def version_of_command(self, by: Envelope) -> int | None:
        """The version written by this actor's command with this id, if already applied."""
        return self.command_versions.get((by.actor.user_id, by.command_id))

    @classmethod
    def create(
        cls: type[T],
        event_class: type[CanInitAggregate[UUID]],
        *,
        id: UUID,
        by: Envelope,
        **facts: Any,
    ) -> T:
        """Start a new aggregate with its first event."""
        return cls._create(
            event_class, id=id, actor=by.actor, command_id=by.command_id, **_real_values(facts)
        )

    def record(self, event_class: type["TrailAggregate.Event"], by: Envelope, **facts: Any) -> None:
        """Trigger the next event of this aggregate."""
        self.trigger_event(
            event_class, actor=by.actor, command_id=by.command_id, **_real_values(facts)
        )


class TakesEffectOn:
    """Mixin of the events that say the date they took effect (``effective_on``).

    Version 1 of these events had no such date: they took effect on the London date they were
    recorded, which the upcast fills in.
    """

    class_version = 2
    effective_on: date

    @property
    def effective(self) -> date:
        return self.effective_on

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["effective_on"] = recorded_on(state)


def recorded_on(state: dict[str, Any]) -> date:
    """The London date an event was recorded, from its stored state (for upcasts)."""
    return london_date(state["timestamp"])


def _real_values(facts: dict[str, Any]) -> dict[str, Any]:
    return {name: real_time_value(value) for name, value in facts.items()}
