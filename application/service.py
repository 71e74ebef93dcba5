"""The ActionTrail application: one event-sourced application, one global log, three aggregates."""

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, TypeVar, cast, runtime_checkable
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder
from eventsourcing.utils import EnvType

from application.batch import CommandBatch
from application.commands import Command
from application.dispatch import RanBefore, dispatch, earlier_answer, kind_label, note_at, require
from application.errors import ConcurrentWrites, KeyReused, NotFound, NotThen
from application.permissions import authorize_command, authorize_history, authorize_read
from application.receipts import Receipt, ReceiptBook, command_digest
from application.transcodings import register_transcodings
from application.views import CommandResult, Recorded
from domain.action import AgencyAction
from domain.clock import as_utc, london_date
from domain.effective import human_date
from domain.events import Envelope, TrailAggregate
from domain.reference import DEFAULT_REFERENCE, ReferenceData
from domain.values import Actor

A = TypeVar("A", bound=TrailAggregate)


@runtime_checkable
class PositionIndex(Protocol):
    """A recorder that can say where an aggregate's events stand in the global log."""

    def positions(self, originator_id: UUID) -> dict[int, int]:
        """Map of version to notification id (position) for one aggregate."""
        ...

    def stored_among(self, originator_ids: Collection[UUID]) -> set[UUID]:
        """Those of ``originator_ids`` that have events in the log."""
        ...


def project(
    aggregate: TrailAggregate | None, events: Iterable[TrailAggregate.Event]
) -> TrailAggregate | None:
    """An aggregate with ``events`` applied in turn: the library's ``project_aggregate`` less
    its ``isinstance`` check of a runtime Protocol on every event (a seventh of a command's
    time), since every event of the log is a ``TrailAggregate.Event``."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


#: The application's stored name, whatever class builds it: the library names a PostgreSQL
#: application's tables after it (``actiontrail_events``), so every process shares one log.
STORED_NAME = "ActionTrail"


class ActionTrail(Application[UUID]):
    name = STORED_NAME
    MAX_ATTEMPTS = 5
    #: The library's aggregate cache: an aggregate is rebuilt from its events once, then each
    #: ``repository.get`` reads only the events written after the cached version (by this
    #: process or any other: "fast-forward") and answers a deep copy. Settings of the
    #: environment win over these.
    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": "5000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = STORED_NAME

    def __init__(
        self, env: EnvType | None = None, reference: ReferenceData = DEFAULT_REFERENCE
    ) -> None:
        super().__init__(env)
        self.reference = reference
        if not (
            isinstance(self.recorder, PositionIndex) and isinstance(self.recorder, ReceiptBook)
        ):
            raise TypeError(
                f"{type(self.recorder).__name__} cannot report log positions or keep receipts; "
                "build the application with infrastructure.bootstrap"
            )
        self._positions: PositionIndex = self.recorder
        self._receipts: ReceiptBook = self.recorder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    # Commands

    def execute(self, command: Command, actor: Actor) -> CommandResult:
        """Run one command for one actor; all its events are written in one transaction.

        A command with a key (``command_id``) that this user already sent answers the first
        answer and writes nothing, or raises ``KeyReused`` if the key first ran another
        request. A write that loses a race looks again: the winner may have been this very
        command (a retry sent while the first attempt was in flight).
        """
        authorize_command(actor, command)
        command_id = command.command_id or str(uuid4())
        by = Envelope(actor, command_id)
        digest = command_digest(command) if command.command_id else None
        for _ in range(self.MAX_ATTEMPTS):
            if digest is not None:
                first = self._receipts.find_receipt(actor.user_id, command_id)
                if first is not None:
                    if first.digest != digest:
                        raise KeyReused(command_id)
                    return self._result_of(first.aggregate_id, first.version)
            try:
                return self._execute_once(command, by, digest)
            except IntegrityError:
                continue
        raise ConcurrentWrites(
            f"gave up after {self.MAX_ATTEMPTS} attempts: other writers kept changing the "
            "same aggregate; try again"
        )

    def _execute_once(self, command: Command, by: Envelope, digest: str | None) -> CommandResult:
        outcome = dispatch(command, by, self._existing, self.reference)
        if isinstance(outcome, RanBefore):
            return self._result_of(*earlier_answer(outcome, self._linked_to))
        answer = outcome.answer
        receipt = None
        if digest is not None:
            receipt = Receipt(by.actor.user_id, by.command_id, digest, answer.id, answer.version)
        recordings = self.save(*outcome.aggregates, receipt=receipt)
        position = next(
            r.notification.id
            for r in recordings
            if r.notification.originator_id == answer.id
            and r.notification.originator_version == answer.version
        )
        note = answer.note_on(answer.version)
        return CommandResult(id=answer.id, version=answer.version, position=position, note=note)

    def execute_all(self, work: Callable[[CommandBatch], None], actor: Actor) -> CommandBatch:
        """Run the commands ``work`` gives a batch as one write: every event of every command
        in one transaction, or nothing when any command is refused.

        ``work`` runs again on a fresh batch when another writer changed one of the same
        aggregates meanwhile; commands that ran before (by command id) then write nothing.
        """
        for _ in range(self.MAX_ATTEMPTS):
            batch = CommandBatch(self, actor)
            work(batch)
            try:
                batch.save()
            except IntegrityError:
                continue
            return batch
        raise ConcurrentWrites(
            f"gave up after {self.MAX_ATTEMPTS} attempts: other writers kept changing the "
            "aggregates of these commands; try again"
        )

    def _linked_to(self, aggregate_id: UUID, version: int) -> UUID | None:
        """The aggregate the event at ``version`` created or linked, or None."""
        (event,) = self.events_of(aggregate_id, gt=version - 1, lte=version)
        return event.linked_aggregate_id

    def _result_of(self, aggregate_id: UUID, version: int) -> CommandResult:
        """The answer of the command that wrote ``version``, as it answered the first time."""
        position = self.positions_of(aggregate_id)[version]
        note = note_at(self._existing, aggregate_id, version)
        return CommandResult(id=aggregate_id, version=version, position=position, note=note)

    # Reads

    def get(self, aggregate_id: UUID, actor: Actor, kind: type[A]) -> A:
        """The current state, for an actor allowed to read it."""
        aggregate = self._load(kind, aggregate_id)
        authorize_read(actor, aggregate, self._owners)
        return aggregate

    def _owners(self, action_ids: Iterable[UUID]) -> set[str]:
        """The agencies owning these actions now."""
        return {a.agency for i in action_ids if isinstance(a := self._existing(i), AgencyAction)}

    def state_at(  # noqa: PLR0913 - the state's question: what, for whom, as of, known at, which version
        self,
        aggregate_id: UUID,
        actor: Actor,
        kind: type[A],
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        version: int | None = None,
    ) -> A:
        """A past state, the same fold as the current state's (``TrailAggregate.as_at``): as it
        stood on the day ``as_of`` (facts effective on or before it, in effective order) and as
        known at ``known_at`` or at ``version`` (only the events recorded by then).

        ``NotThen`` says why when nothing of the record is left: it was first recorded after
        ``known_at``, or began after ``as_of``.
        """
        if known_at is not None and version is not None:
            raise ValueError("give at most one of known_at and version")
        current = self.get(aggregate_id, actor, kind)
        if version is not None and not 1 <= version <= current.version:
            raise NotFound(f"{kind_label(kind)} version", f"{aggregate_id} v{version}")
        past = current.as_at(as_of=as_of, known_at=known_at, version=version)
        if past is None:
            label = kind_label(type(current))
            if known_at is not None and current.created_on > as_utc(known_at):
                reason = (
                    f"{label} {aggregate_id} was first recorded at "
                    f"{current.created_on.isoformat()}, after {as_utc(known_at).isoformat()}"
                )
                if as_of is None:
                    day = human_date(london_date(known_at))
                    reason += (
                        f"; for how it stood on {day} as the records stand now, ask as of that day"
                    )
            else:
                assert as_of is not None
                reason = f"{current.describe_start()}, after {human_date(as_of)}"
            raise NotThen(label, aggregate_id, reason)
        return past

    def history(self, aggregate_id: UUID, actor: Actor, kind: type[A]) -> list[Recorded]:
        """Every event of one aggregate, oldest first, with its position in the log."""
        authorize_history(actor, self.get(aggregate_id, actor, kind))
        positions = self.positions_of(aggregate_id)
        return [
            Recorded(positions[event.originator_version], event)
            for event in self.events_of(aggregate_id)
        ]

    def events_of(
        self, aggregate_id: UUID, gt: int | None = None, lte: int | None = None
    ) -> list[TrailAggregate.Event]:
        """An aggregate's stored events, oldest first (those after version ``gt`` up to
        ``lte``)."""
        return cast(list[TrailAggregate.Event], list(self.events.get(aggregate_id, gt=gt, lte=lte)))

    def positions_of(self, aggregate_id: UUID) -> dict[int, int]:
        """Map of an aggregate's versions to their positions in the log."""
        return self._positions.positions(aggregate_id)

    def find(self, aggregate_id: UUID) -> TrailAggregate | None:
        """Any aggregate by id, or None; unchecked (for what shows beside a record the reader
        may see, as its source's label)."""
        return self._existing(aggregate_id)

    def _existing(self, aggregate_id: UUID) -> TrailAggregate | None:
        try:
            aggregate: TrailAggregate = self.repository.get(aggregate_id, projector_func=project)
        except AggregateNotFoundError:
            return None
        return aggregate

    def _load(self, kind: type[A], aggregate_id: UUID) -> A:
        return require(self._existing, kind, aggregate_id)

    def stored_among(self, aggregate_ids: Collection[UUID]) -> set[UUID]:
        """Those of ``aggregate_ids`` that have events in the log."""
        return self._positions.stored_among(aggregate_ids)

    def head(self) -> int:
        """The position of the newest event in the global log (0 when empty)."""
        return self.recorder.max_notification_id() or 0


__all__: Sequence[str] = ["STORED_NAME", "ActionTrail", "CommandResult", "PositionIndex"]
