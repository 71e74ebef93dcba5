"""Many commands written as one: all their events in one transaction, or none of them.

A ``CommandBatch`` runs commands in order on aggregates it holds in memory (each loaded from
the log once), checking each as ``ActionTrail.execute`` does, with the same ``dispatch``: the
actor's role, idempotency by command id, the expected version and the actor's right to change
the target; a command that ran before answers as ``ActionTrail.execute`` answers it
(``dispatch.earlier_answer``). Nothing is written while commands run; ``ActionTrail.execute_all``
then saves every event of every command, in the order the commands ran, with one ``save``, which
the event store writes in one transaction. A command refused raises, and nothing of the batch is
written. The batch reaches the application only through ``Log``.
"""

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID, uuid4

from eventsourcing.persistence import Recording

from application.commands import Command
from application.dispatch import RanBefore, dispatch, earlier_answer, note_at
from application.permissions import authorize_command
from application.views import CommandResult
from domain.events import Envelope, TrailAggregate
from domain.reference import ReferenceData
from domain.values import Actor


class Log(Protocol):
    """What a batch needs of the application (``ActionTrail``, or a rehearsal's in memory)."""

    @property
    def reference(self) -> ReferenceData: ...

    def events_of(self, aggregate_id: UUID) -> list[TrailAggregate.Event]:
        """An aggregate's stored events, oldest first."""
        ...

    def positions_of(self, aggregate_id: UUID) -> dict[int, int]:
        """Map of an aggregate's versions to their positions in the log."""
        ...

    def save(self, *events: TrailAggregate.Event) -> list[Recording[UUID]]:
        """Write the events in one transaction (``IntegrityError`` when another writer won)."""
        ...


@dataclass(frozen=True)
class Staged:
    """A command's answer before the batch is saved.

    ``new`` is False when the command ran before (same actor, same command id): it answers what
    it answered then and writes nothing.
    """

    id: UUID
    version: int
    new: bool
    #: What the answer says besides (``TrailAggregate.note_on``).
    note: str | None = None


class CommandBatch:
    """Commands run in order on in-memory aggregates, to be saved together."""

    def __init__(self, log: Log, actor: Actor) -> None:
        self._log = log
        self.actor = actor
        self._aggregates: dict[UUID, TrailAggregate] = {}
        #: (aggregate, version) of an event that created or linked another aggregate: that one.
        self._links: dict[tuple[UUID, int], UUID] = {}
        self._pending: list[TrailAggregate.Event] = []
        self._answers: list[Staged] = []
        self._positions: dict[tuple[UUID, int], int] = {}
        self.events_written = 0
        #: Whether a command found an aggregate stored in the log (not made by the batch).
        self.read_the_log = False

    @property
    def pending_events(self) -> int:
        """Events the commands run so far will write."""
        return len(self._pending)

    @property
    def pending(self) -> list[TrailAggregate.Event]:
        """The events the commands run so far will write, in order."""
        return list(self._pending)

    def run(self, command: Command) -> Staged:
        """Check and apply one command; its events wait for the batch's save."""
        authorize_command(self.actor, command)
        by = Envelope(self.actor, command.command_id or str(uuid4()))
        outcome = dispatch(command, by, self._find, self._log.reference)
        if isinstance(outcome, RanBefore):
            aggregate_id, version = earlier_answer(outcome, self._linked_to)
            note = note_at(self._find, aggregate_id, version)
            return self._answer(Staged(aggregate_id, version, new=False, note=note))
        for aggregate in outcome.aggregates:
            self._aggregates[aggregate.id] = aggregate
            for event in aggregate.collect_events():
                assert isinstance(event, TrailAggregate.Event)
                self._pending.append(event)
                self._remember_link(event)
        answer = outcome.answer
        note = answer.note_on(answer.version)
        return self._answer(Staged(answer.id, answer.version, new=True, note=note))

    def save(self) -> None:
        """Write every pending event in one transaction (the caller retries on a conflict)."""
        if not self._pending:
            return
        recordings = self._log.save(*self._pending)
        for recording in recordings:
            event = recording.domain_event
            self._positions[(event.originator_id, event.originator_version)] = (
                recording.notification.id
            )
        self.events_written = len(recordings)

    def results(self) -> list[CommandResult]:
        """Every command's answer, in order, with its position in the log (once saved)."""
        return [
            CommandResult(
                id=s.id,
                version=s.version,
                position=self._position(s.id, s.version),
                note=s.note,
            )
            for s in self._answers
        ]

    def _answer(self, staged: Staged) -> Staged:
        self._answers.append(staged)
        return staged

    def _find(self, aggregate_id: UUID) -> TrailAggregate | None:
        """The batch's copy of an aggregate, loaded from the log the first time it is asked."""
        aggregate = self._aggregates.get(aggregate_id)
        if aggregate is None:
            for event in self._log.events_of(aggregate_id):
                aggregate = event.mutate(aggregate)
                self._remember_link(event)
            if aggregate is not None:
                self._aggregates[aggregate_id] = aggregate
                self.read_the_log = True
        return aggregate

    def _linked_to(self, aggregate_id: UUID, version: int) -> UUID | None:
        """The aggregate the event at ``version`` created or linked (the batch has loaded
        ``aggregate_id``, and so its links, before it asks)."""
        return self._links.get((aggregate_id, version))

    def _remember_link(self, event: TrailAggregate.Event) -> None:
        linked = event.linked_aggregate_id
        if linked is not None:
            self._links[(event.originator_id, event.originator_version)] = linked

    def _position(self, aggregate_id: UUID, version: int) -> int:
        if (aggregate_id, version) not in self._positions:
            stored = self._log.positions_of(aggregate_id)
            self._positions.update({(aggregate_id, v): p for v, p in stored.items()})
        return self._positions[(aggregate_id, version)]
