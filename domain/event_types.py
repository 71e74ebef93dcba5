"""The public names of the aggregates and of their events, as the audit log and history show them
(each event's topic less its prefix, e.g. ``StrategyMeeting.Held``)."""

from domain.action import AgencyAction
from domain.events import TrailAggregate
from domain.meeting import StrategyMeeting
from domain.projection_skip import ProjectionSkip
from domain.recommendation import Recommendation

AGGREGATES: tuple[type[TrailAggregate], ...] = (
    StrategyMeeting,
    Recommendation,
    AgencyAction,
    ProjectionSkip,
)


def _events_of(aggregate: type[TrailAggregate]) -> list[str]:
    """The aggregate's own events (not its base ``Event``, which the library's ``Created``
    also inherits)."""
    base = aggregate.Event.type_name()
    names = {
        member.type_name()
        for member in vars(aggregate).values()
        if isinstance(member, type) and issubclass(member, TrailAggregate.Event)
    }
    return sorted(names - {base})


#: Every aggregate type, e.g. ``StrategyMeeting``.
AGGREGATE_TYPES: tuple[str, ...] = tuple(a.__name__ for a in AGGREGATES)
#: Every event type, e.g. ``StrategyMeeting.Held``, aggregate by aggregate.
EVENT_TYPES: tuple[str, ...] = tuple(name for a in AGGREGATES for name in _events_of(a))
