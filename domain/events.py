"""What every actiontrail event carries besides its own facts, and how an aggregate folds them.

``timestamp`` (the library's field) is the recorded-at time, taken from ``domain.clock``.
``actor`` and ``command_id`` say who caused the event and through which command. ``effective``
is when the fact happened in the world, for the events that describe one; the others take effect
when recorded.

An aggregate's state is the fold of its events in the order they took effect, ties in the order
recorded (``domain.effective``), not the order they were recorded: each aggregate keeps its
events in that order (``timeline``). An event that takes effect on or after the last one is
applied at once; one back-dated among later facts is slotted in and the state folded again. The
same fold, cut at a day and at a recorded time, gives the state as it stood then (``as_at``).
"""

import bisect
import dataclasses
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar, NamedTuple, Self, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, CanInitAggregate, TAggregate

from domain.clock import as_utc, london_date, real_time_value, utc_now
from domain.effective import effective_day, effective_order
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

        def copy_facts(self, aggregate: "TrailAggregate") -> None:
            """Give the aggregate each of the event's facts, as the attribute of its name."""
            aggregate.__dict__.update(self.data())

        def data(self) -> dict[str, Any]:
            """The event's own facts, without the envelope."""
            return {k: v for k, v in self.__dict__.items() if k not in BASE_FIELDS}

        def data_as_json(self) -> dict[str, Any]:
            """The event's own facts as JSON values (codes, ISO dates, dicts): ``data`` in one
            pass (an entry of the feed or the audit log takes it of every event)."""
            return {k: as_json(v) for k, v in self.__dict__.items() if k not in BASE_FIELDS}

        def mutate(self, aggregate: TAggregate | None) -> TAggregate | None:
            """Apply the event (the library checks it is the next of its aggregate) and give
            it its place in the effective order; one back-dated among later facts folds the
            state again."""
            result = super().mutate(aggregate)
            if isinstance(result, TrailAggregate):
                result.command_versions[(self.actor.user_id, self.command_id)] = (
                    self.originator_version
                )
                result._take_place(self)  # noqa: SLF001 - an aggregate's own event places itself
            return result

    #: Events that never take their place before the last of them recorded before (a change of
    #: status follows the status it changes; only events of the first versions could break it).
    SEQUENTIAL: ClassVar[tuple[type["TrailAggregate.Event"], ...]] = ()
    #: For each type of event that may be back-dated among later facts, the part of the
    #: current state it may leave as it was (``note_on``).
    STANDINGS: ClassVar[dict[type["TrailAggregate.Event"], "Standing"]] = {}
    #: The attributes each type of event's ``apply`` changes (checked by a test). An event
    #: slotted in before later ones none of which changes what it changes gives the same state
    #: applied where it stands, so the state is not folded again (a meeting's ``Held``, dated
    #: before the invitations typed in with it); a type left out is always folded in.
    CHANGES: ClassVar[dict[type["TrailAggregate.Event"], frozenset[str]]] = {}

    def __init__(self) -> None:
        self.command_versions: dict[tuple[str, str], int] = {}
        #: Every event, in the order they took effect (ties in the order recorded).
        self.timeline: list[Placed] = []

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        """A copy sharing nothing mutable with this aggregate, as ``copy.deepcopy`` makes it
        (the library's aggregate cache answers one to every command), but copying one level
        only ``command_versions`` (immutable keys and values: tuples of strings, ints; an entry
        per event), the ``timeline`` (immutable entries holding frozen events) and lists of
        strings (progress notes): most of a deep copy's work."""
        copied = object.__new__(type(self))
        memo[id(self)] = copied
        for name, value in self.__dict__.items():
            if name == "command_versions":
                value = dict(value)
            elif name == "timeline":
                value = list(value)  # of immutable entries, each an event shared, never changed
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

    # The effective order

    @property
    def began_on(self) -> date:
        """The day the record began: when the fact that created it took effect."""
        return self.timeline[0].day

    def describe_start(self) -> str:
        """How the record began, as a refusal to show it for an earlier day says it."""
        return f"{type(self).__name__} {self.id} began on {self.began_on.isoformat()}"

    def place_of(self, event: "TrailAggregate.Event") -> date:
        """The day an event takes its place on: the day it took effect, never before the record
        began nor, for a ``SEQUENTIAL`` event, before the last of them."""
        day = effective_day(event)
        if not self.timeline:
            return day
        day = max(day, self.timeline[0].day)
        if self.SEQUENTIAL and isinstance(event, self.SEQUENTIAL):
            sequential = self.SEQUENTIAL
            day = max([day, *(p.day for p in self.timeline if isinstance(p.event, sequential))])
        return day

    def _take_place(self, event: "TrailAggregate.Event") -> None:
        placed = Placed(self.place_of(event), event.originator_version, event)
        if not self.timeline or placed.day >= self.timeline[-1].day:
            self.timeline.append(placed)  # applied already, as the latest fact (its version is)
            return
        at = bisect.bisect_right(self.timeline, placed.key, key=Placed.sort_key)
        self.timeline.insert(at, placed)
        if self._commutes(event, self.timeline[at + 1 :]):
            return  # applied already: none of the later facts changes what it changes
        folded = self._fold(self.timeline)
        for name, value in folded.__dict__.items():
            if name not in _BOOKKEEPING:
                self.__dict__[name] = value

    def _commutes(self, event: "TrailAggregate.Event", later: list["Placed"]) -> bool:
        changes = self.CHANGES.get(type(event))
        if changes is None:
            return False
        for placed in later:
            theirs = self.CHANGES.get(type(placed.event))
            if theirs is None or not theirs.isdisjoint(changes):
                return False
        return True

    def _fold(
        self, entries: list["Placed"], after_each: Callable[[Self, "Placed"], None] | None = None
    ) -> Self:
        """A new aggregate of ``entries`` (in effective order, the creation first) applied in
        turn, ``after_each`` told of each."""
        first, *rest = entries
        folded = first.event.mutate(None)
        assert isinstance(folded, type(self))
        if after_each is not None:
            after_each(folded, first)
        for placed in rest:
            placed.event.apply(folded)
            if after_each is not None:
                after_each(folded, placed)
        last = max(entries, key=lambda p: p.version)
        folded.timeline = list(entries)
        folded.command_versions = {
            (p.event.actor.user_id, p.event.command_id): p.version
            for p in sorted(entries, key=lambda p: p.version)
        }
        # The library keeps an aggregate's version and modification time in private fields.
        folded._version = last.version  # noqa: SLF001
        folded._modified_on = last.event.timestamp  # noqa: SLF001
        return folded

    def as_at(
        self,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        version: int | None = None,
    ) -> Self | None:
        """The state the records give for the day ``as_of`` (facts effective on or before it),
        as known at ``known_at`` or at ``version`` (only the events recorded by then), each
        optional: the same fold as the current state's. None if nothing of the record is
        left (it began after ``as_of``, or was first recorded after ``known_at``)."""
        cutoff = None if known_at is None else as_utc(known_at)
        kept = [
            p
            for p in self.timeline
            if (as_of is None or p.day <= as_of)
            and (version is None or p.version <= version)
            and (cutoff is None or p.event.timestamp <= cutoff)
        ]
        if not kept or kept[0].version != self.INITIAL_VERSION:
            return None
        return self._fold(kept)

    def on_day(self, day: date) -> Self:
        """The state in force on ``day`` (a day the record had begun by), as the records
        stand now."""
        if day >= self.timeline[-1].day:
            return self
        then = self.as_at(as_of=day)
        assert then is not None, f"{type(self).__name__} {self.id} began after {day}"
        return then

    def note_on(self, version: int) -> str | None:
        """What the answer to the event of ``version`` says besides its version: when it was
        back-dated among later facts and left the part of the state it sets (its
        ``STANDINGS``) as it was, the value that stays and the day it took effect. Worked out
        from the events up to ``version`` alone, so a retried command answers the same."""
        if self.timeline[-1].version == version:
            return None  # the latest fact: the common case
        known = [p for p in self.timeline if p.version <= version]
        placed = next(p for p in known if p.version == version)
        standing = self.STANDINGS.get(type(placed.event))
        if standing is None or known[-1] is placed:
            return None
        before = self._fold([p for p in known if p is not placed])
        changes: list[tuple[Any, ...]] = []
        since: list[date] = []

        def watch(folded: Self, placed: Placed) -> None:
            values = standing.of(folded)
            if not changes or changes[-1] != values:
                changes.append(values)
                since.append(placed.day)

        after = self._fold(known, watch)
        if standing.of(before) != standing.of(after):
            return None
        return (
            f"recorded; the current {standing.name} stays {standing.describe(after)}, "
            f"effective {since[-1].isoformat()}"
        )


class Placed(NamedTuple):
    """An event in its place in its aggregate's effective order."""

    day: date
    version: int
    event: TrailAggregate.Event

    @property
    def key(self) -> tuple[date, int]:
        return effective_order(self.day, self.version)

    @staticmethod
    def sort_key(placed: "Placed") -> tuple[date, int]:
        return placed.key


@dataclass(frozen=True)
class Standing:
    """A part of a record's current state that a back-dated change may leave as it was: its
    name ("status") and the attributes that hold it (``status``, ``rag``)."""

    name: str
    attributes: tuple[str, ...]

    def of(self, aggregate: TrailAggregate) -> tuple[Any, ...]:
        return tuple(getattr(aggregate, name) for name in self.attributes)

    def describe(self, aggregate: TrailAggregate) -> str:
        """The values as a person reads them: ``implemented/green``."""
        return "/".join(str(as_json(v)) for v in self.of(aggregate) if v is not None)


#: What an aggregate keeps of its events rather than of their facts: never folded again.
_BOOKKEEPING = frozenset(
    {
        "_id",
        "_version",
        "_created_on",
        "_modified_on",
        "_pending_events",
        "command_versions",
        "timeline",
    }
)


class TakesEffectFrom:
    """Mixin of the events that say the date they took effect, in the field ``DATE_FIELD``.

    Version 1 of these events had no such date: they took effect on the London date they were
    recorded, which the upcast fills in.
    """

    DATE_FIELD: ClassVar[str]
    class_version = 2

    @property
    def effective(self) -> date:
        day: date = getattr(self, self.DATE_FIELD)
        return day

    @classmethod
    def upcast_v1_v2(cls, state: dict[str, Any]) -> None:
        state[cls.DATE_FIELD] = recorded_on(state)


class TakesEffectOn(TakesEffectFrom):
    """The events that say the date they took effect (``effective_on``)."""

    DATE_FIELD = "effective_on"
    effective_on: date


class TakesEffectWhenAgreed(TakesEffectFrom):
    """The events that take effect on the day an action was agreed (``agreed_on``): its
    assignment, and its link to the meeting or recommendation that agreed it."""

    DATE_FIELD = "agreed_on"
    agreed_on: date


class SetsStatus:
    """Mixin of the events that give their aggregate the status ``BECOMES`` from the day they
    take effect (``effective_on``)."""

    BECOMES: ClassVar[Enum]
    effective_on: date

    def apply(self, aggregate: Any) -> None:
        aggregate.status = self.BECOMES
        aggregate.status_since = self.effective_on


@dataclass(frozen=True)
class StatusChange(SetsStatus, TakesEffectOn):
    """Mixin of the events whose facts are a reason and the day they took effect, on which
    their aggregate's status became ``BECOMES``."""

    reason: str
    effective_on: date


def recorded_on(state: dict[str, Any]) -> date:
    """The London date an event was recorded, from its stored state (for upcasts)."""
    return london_date(state["timestamp"])


def _real_values(facts: dict[str, Any]) -> dict[str, Any]:
    return {name: real_time_value(value) for name, value in facts.items()}
