"""Notifications of the log decoded into the events the projections apply."""

from collections.abc import Sequence

from eventsourcing.persistence import Notification

from domain.events import TrailAggregate
from projections import stalls
from projections.base import Positioned, Projection
from projections.errors import UndecodableEvent
from projections.runner.settings import Decode, EventClass


class EventDecoder:
    """Decodes with ``decode``; given ``event_class`` (a topic's class), it leaves undecoded the
    events that none of the projections at hand handles."""

    def __init__(self, decode: Decode, event_class: EventClass | None = None) -> None:
        self.decode = decode
        self.event_class = event_class
        self._kinds: dict[str, type | None] = {}

    def decode_all(self, notifications: Sequence[Notification]) -> list[Positioned]:
        """Decode notifications into (position, event); raise ``UndecodableEvent`` if any fails."""
        events, failure = self.decode_prefix(notifications)
        if failure is not None:
            raise failure
        return events

    def decode_prefix(
        self, notifications: Sequence[Notification], projections: Sequence[Projection] | None = None
    ) -> tuple[list[Positioned], UndecodableEvent | None]:
        """The events before the first that cannot be decoded, and its error (if any); given
        ``projections``, only those of a type one of them handles (``_decode_into``)."""
        events: list[Positioned] = []
        try:
            self._decode_into(events, notifications, projections)
        except UndecodableEvent as failure:
            return events, failure
        return events, None

    def _decode_into(
        self,
        events: list[Positioned],
        notifications: Sequence[Notification],
        projections: Sequence[Projection] | None = None,
    ) -> None:
        """Decode into ``events``; given ``projections``, only the notifications of a type one of
        them handles (or of an unknown topic, which then fails to decode)."""
        skipped: dict[str, bool] = {}
        if self.event_class is None:
            projections = None
        for notification in notifications:
            if projections is not None:
                skip = skipped.get(notification.topic)
                if skip is None:
                    skip = skipped[notification.topic] = self._unwanted(
                        notification.topic, projections
                    )
                if skip:
                    continue
            try:
                event = self.decode(notification)
            except Exception as error:
                raise UndecodableEvent(
                    f"cannot decode the event at position {notification.id} "
                    f"(topic {notification.topic!r}): {stalls.describe(error)}",
                    notification.id,
                ) from error
            if not isinstance(event, TrailAggregate.Event):
                raise UndecodableEvent(
                    f"the event at position {notification.id} (topic {notification.topic!r}) "
                    "is not an actiontrail event",
                    notification.id,
                )
            events.append((notification.id, event))

    def _unwanted(self, topic: str, projections: Sequence[Projection]) -> bool:
        """Whether events of ``topic`` are actiontrail events that none of ``projections``
        handles (a rebuild of some projections need not decode them)."""
        if topic not in self._kinds:
            assert self.event_class is not None
            try:
                self._kinds[topic] = self.event_class(topic)
            except Exception:
                self._kinds[topic] = None  # decoding it will say what is wrong
        kind = self._kinds[topic]
        return (
            isinstance(kind, type)
            and issubclass(kind, TrailAggregate.Event)
            and not any(p.handles_type(kind) for p in projections)
        )
