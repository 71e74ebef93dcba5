"""The application in memory: the eventsourcing library's plain-Python store, given what
``ActionTrail`` asks of its recorder beyond the library's (log positions and receipts).

Nothing is written to disk; an import's dry run and rule tests run against it.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, IntegrityError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory
from eventsourcing.utils import get_topic

from application.receipts import Receipt
from application.service import ActionTrail
from infrastructure.config import Settings


class MemoryRecorder(POPOApplicationRecorder):
    """The library's in-memory recorder, with positions and receipts of keyed commands."""

    def __init__(self) -> None:
        super().__init__()
        self._receipts: dict[tuple[str, str], Receipt] = {}

    def positions(self, originator_id: UUID) -> dict[int, int]:
        with self._database_lock:
            index = self._stored_events_index[str(originator_id)]
            return {version: row + 1 for version, row in index.items()}

    def find_receipt(self, user_id: str, key: str) -> Receipt | None:
        with self._database_lock:
            return self._receipts.get((user_id, key))

    def _assert_uniqueness(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        super()._assert_uniqueness(stored_events, **kwargs)
        receipt: Receipt | None = kwargs.get("receipt")
        if receipt is not None and (receipt.user_id, receipt.key) in self._receipts:
            raise IntegrityError(f"a receipt for the key {receipt.key!r} was recorded before")

    def _update_table(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._update_table(stored_events, **kwargs)
        receipt: Receipt | None = kwargs.get("receipt")
        if receipt is not None:
            self._receipts[(receipt.user_id, receipt.key)] = receipt
        return positions


class MemoryStore(POPOFactory):
    """The library's plain-Python store, whose application recorder is a ``MemoryRecorder``."""

    def application_recorder(self) -> ApplicationRecorder:
        return MemoryRecorder()


def build_memory_application(settings: Settings | None = None) -> ActionTrail:
    """An empty application held in memory, with the reference data of ``settings``."""
    settings = settings or Settings()
    return ActionTrail(
        env={"PERSISTENCE_MODULE": get_topic(MemoryStore)}, reference=settings.reference()
    )
