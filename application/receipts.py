"""Receipts of commands sent with a key (HTTP ``Idempotency-Key``, or a command id to ``execute``).

A receipt binds a user's key to the request it first ran (a digest of the command) and to the
answer it gave. The recorder writes it in the same transaction as the command's events, so a
key is never bound to a command whose events were not written, and two concurrent requests with
one key cannot both write: the second one's transaction fails, and it then finds the first's
receipt.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Protocol, runtime_checkable
from uuid import UUID

from application.commands import Command


@dataclass(frozen=True)
class Receipt:
    user_id: str
    key: str
    #: ``command_digest`` of the command the key first ran.
    digest: str
    #: The answer: the aggregate and version the command answered with.
    aggregate_id: UUID
    version: int


@runtime_checkable
class ReceiptBook(Protocol):
    """A recorder that keeps receipts beside the events (``save(..., receipt=...)``)."""

    def find_receipt(self, user_id: str, key: str) -> Receipt | None: ...


def command_digest(command: Command) -> str:
    """What makes two requests the same: the command's type and every field but its key."""
    fields = command.model_dump(mode="json", exclude={"command_id"}, exclude_none=True)
    text = json.dumps([type(command).__name__, fields], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
