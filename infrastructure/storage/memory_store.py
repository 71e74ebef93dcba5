"""The application in memory: the library's plain-Python store, with what ``ActionTrail`` asks
of its recorder beyond the library's (log positions and receipts of keyed commands).

Nothing is written to disk and nothing outlives the application: for domain and rule tests,
and for rehearsing commands before they are written. (``eventsourcing.popo`` itself would do, but
its factory ignores ``APPLICATION_RECORDER_TOPIC``, so ``MemoryStore`` names the recorder.)
"""

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, IntegrityError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory
from eventsourcing.utils import get_topic

from application.receipts import Receipt
from application.service import ActionTrail
from infrastructure.config import Settings


class MemoryRecorder(POPOApplicationRecorder):
    """The library's in-memory recorder, keeping receipts beside the events and saying where an
    aggregate's events stand in the log (position = index in the log + 1, as the library's
    notification ids)."""

    def __init__(self) -> None:
        super().__init__()
        self._receipts: dict[tuple[str, str], Receipt] = {}

    def _insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        receipt: Receipt | None = kwargs.get("receipt")
        with self._database_lock:
            if receipt is not None and (receipt.user_id, receipt.key) in self._receipts:
                raise IntegrityError(f"receipt already recorded: {receipt.key!r}")
            positions = super()._insert_events(stored_events, **kwargs)
            if receipt is not None:
                self._receipts[(receipt.user_id, receipt.key)] = receipt
            return positions

    def find_receipt(self, user_id: str, key: str) -> Receipt | None:
        with self._database_lock:
            return self._receipts.get((user_id, key))

    def stored_among(self, originator_ids: Collection[UUID]) -> set[UUID]:
        with self._database_lock:
            return {i for i in originator_ids if str(i) in self._stored_events_index}

    def positions(self, originator_id: UUID) -> dict[int, int]:
        with self._database_lock:
            index = self._stored_events_index.get(str(originator_id), {})
            return {version: row + 1 for version, row in index.items()}


class MemoryStore(POPOFactory):
    """The library's plain-Python store (``eventsourcing.popo``), with ``MemoryRecorder``."""

    def application_recorder(self) -> ApplicationRecorder:
        return MemoryRecorder()


def build_memory_application(settings: Settings | None = None) -> ActionTrail:
    """An application on a fresh in-memory store, with the reference data of ``settings``."""
    settings = settings or Settings()
    return ActionTrail(
        env={"PERSISTENCE_MODULE": get_topic(MemoryStore)}, reference=settings.reference()
    )
