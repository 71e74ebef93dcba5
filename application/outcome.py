"""What a command did: the aggregate it answers with, and the others it changed."""

from dataclasses import dataclass

from domain.events import TrailAggregate


@dataclass(frozen=True)
class Outcome:
    """The aggregates a handler changed, all saved in one write.

    ``answer`` is what the command answers with (its id and version; for agreeing an action,
    the new action); ``others`` changed alongside it (the meeting that agreed the action).
    """

    answer: TrailAggregate
    others: tuple[TrailAggregate, ...] = ()

    @property
    def aggregates(self) -> tuple[TrailAggregate, ...]:
        return (self.answer, *self.others)
