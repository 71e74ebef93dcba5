"""What verification answers (``GET /integrity``, ``actiontrail verify --json``)."""

from typing import Literal

from pydantic import BaseModel, Field

from infrastructure.integrity.links import Checkpoint
from infrastructure.presentation.attributes import from_attributes

#: What differs where the log first fails to verify.
Reason = Literal[
    "state-changed",
    "event-removed",
    "events-reordered",
    "event-inserted",
    "chain-altered",
    "tail-truncated",
    "chain-rewritten",
    "public-key-replaced",
    "checkpoint-removed",
]
REASONS: dict[str, str] = {
    "state-changed": "a stored event is not what was chained: its state (or topic) was changed",
    "event-removed": "an event that was chained is no longer in the log",
    "events-reordered": "an event stands at another position than the one it was chained at",
    "event-inserted": "an event that was never chained stands among chained ones",
    "chain-altered": "a stored chain value was changed (the event itself matches)",
    "tail-truncated": "the log ends before a position that a checkpoint covers",
    "chain-rewritten": "the chain does not match a checkpoint, or a checkpoint's signature does "
    "not verify: the log was changed and its chain recomputed without the signing key",
    "public-key-replaced": "a checkpoint is signed with, or the database holds, a key other "
    "than the one trusted",
    "checkpoint-removed": "a checkpoint is missing from the database",
}
#: How far what was verified is anchored: every checked checkpoint's signature verified with a
#: trusted key (``trusted-key``), only with the key the database itself holds
#: (``database-key``), checkpoints without signatures (``unsigned``), or no checkpoint yet.
Trust = Literal["trusted-key", "database-key", "unsigned", "none"]


class CheckpointView(BaseModel):
    seq: int
    position: int
    hash: str = Field(description="the chain's value at `position`, hex")
    signed_at: str = Field(description="when it was made (ISO 8601), signed or not")
    signed: bool
    key: str | None = Field(description="id of the key that signed it (see docs/integrity.md)")

    @classmethod
    def of(cls, checkpoint: Checkpoint) -> "CheckpointView":
        return from_attributes(cls, checkpoint)


class Mismatch(BaseModel):
    position: int = Field(description="the first position of the log that does not verify")
    reason: Reason
    detail: str


class IntegrityReport(BaseModel):
    status: Literal["ok", "broken"]
    head: int = Field(description="position of the log's last event")
    verified_from: int = Field(description="first position verified (after `--from`'s)")
    verified_to: int = Field(
        description="last position up to which the log recomputes to its chain and to every "
        "checkpoint on the way"
    )
    signed_to: int = Field(
        description="position of the last checkpoint on the way whose signature verified with "
        "a trusted key (0: none)"
    )
    trust: Trust
    last_checkpoint: CheckpointView | None
    first_mismatch: Mismatch | None = None
    checkpoints: int = Field(description="checkpoints checked")
    chain_started_at: str | None = Field(description="when the chain began on this log")
    backfilled_to: int = Field(
        description="the last event written before the chain began (chained then, from the "
        "log as it stood; 0: chained from the first event)"
    )
    notes: list[str] = Field(default_factory=list)
