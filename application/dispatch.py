"""What every command goes through between its role check and its save: one function.

``ActionTrail.execute`` (aggregates loaded from the log) and ``CommandBatch.run`` (aggregates a
batch holds in memory) differ only in where aggregates come from and what becomes of those the
handler returns; both call ``dispatch`` with their own way to find an aggregate.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar
from uuid import UUID, uuid5

from application.commands import Command, CreationCommand
from application.errors import KeyReused, NotFound, VersionConflict
from application.handlers import HANDLERS, HandlerContext
from application.outcome import Outcome
from application.permissions import authorize_change
from domain.action import AgencyAction
from domain.events import Envelope, TrailAggregate
from domain.reference import ReferenceData

A = TypeVar("A", bound=TrailAggregate)
#: An aggregate by id, or None when there is none.
Find = Callable[[UUID], TrailAggregate | None]

#: Ids of aggregates created by a command derive from the actor and the command id, so a retried
#: creation finds what the first attempt made. Command ids are scoped per user.
ID_NAMESPACE = UUID("3f0c6f7e-5b5f-4d0e-9a57-7c1a2d8e6b10")


@dataclass(frozen=True)
class RanBefore:
    """The command ran before (same actor, same command id) and writes nothing now.

    It created ``aggregate_id`` (``created``), or changed it to ``version``; the caller answers
    as the first run did (an event that created another aggregate answers that one).
    """

    aggregate_id: UUID
    version: int
    created: bool


def earlier_answer(
    ran: RanBefore, linked_to: Callable[[UUID, int], UUID | None]
) -> tuple[UUID, int]:
    """The (aggregate, version) a command that ran before answers again: the aggregate it
    created, the one its event created or linked (``linked_to``: that of the event at a
    version, or None), or the version it wrote."""
    if ran.created:
        return ran.aggregate_id, 1
    linked = linked_to(ran.aggregate_id, ran.version)
    if linked is not None:
        return linked, 1
    return ran.aggregate_id, ran.version


def note_at(find: Find, aggregate_id: UUID, version: int) -> str | None:
    """What the answer of the command that wrote ``version`` says besides, worked out again
    from the events up to it (the same as the first time); a creation says nothing."""
    if version == 1:
        return None
    aggregate = find(aggregate_id)
    return None if aggregate is None else aggregate.note_on(version)


def dispatch(
    command: Command, by: Envelope, find: Find, reference: ReferenceData
) -> Outcome | RanBefore:
    """Check a command against its target (idempotency, expected version, the actor's right to
    change it) and run its handler: the aggregates to save, or ``RanBefore``."""
    target: TrailAggregate | None = None
    if isinstance(command, CreationCommand):
        new_id = new_aggregate_id(command, by)
        existing = find(new_id)
        if existing is not None:
            if not isinstance(existing, command.target_type):
                raise KeyReused(by.command_id)
            return RanBefore(new_id, 1, created=True)
    else:
        target = require(find, command.target_type, command.target_id())
        earlier = target.version_of_command(by)
        if earlier is not None:
            return RanBefore(target.id, earlier, created=False)
        if command.expected_version not in (None, target.version):
            raise VersionConflict(target.id, command.expected_version, target.version)
        authorize_change(by.actor, target)

    def unfinished_actions(action_ids: list[UUID]) -> list[UUID]:
        return [i for i in action_ids if not require(find, AgencyAction, i).is_finished]

    context = HandlerContext(reference, partial(new_aggregate_id, command, by), unfinished_actions)
    return HANDLERS[type(command)](command, target, by, context)


def require(find: Find, kind: type[A], aggregate_id: UUID) -> A:
    """The aggregate of type ``kind``, or ``NotFound``."""
    aggregate = find(aggregate_id)
    if not isinstance(aggregate, kind):
        raise NotFound(kind_label(kind), aggregate_id)
    return aggregate


def new_aggregate_id(command: Command, by: Envelope) -> UUID:
    """The id of the aggregate a command creates: from its facts when they determine it, else
    from the actor and the command id (a retried creation finds what the first attempt made)."""
    natural = command.natural_id() if isinstance(command, CreationCommand) else None
    return natural or uuid5(ID_NAMESPACE, f"{by.actor.user_id}\n{by.command_id}")


def kind_label(kind: type[TrailAggregate]) -> str:
    """The kind of a record as a message names it: ``recommendation``."""
    return {
        "StrategyMeeting": "strategy meeting",
        "Recommendation": "recommendation",
        "AgencyAction": "action",
    }.get(kind.__name__, kind.__name__)
