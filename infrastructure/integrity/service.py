"""The integrity of one database's log, as the front ends and the server use it: verify,
checkpoint, the public key; built from the settings and the application's recorder."""

import logging
from datetime import timedelta
from pathlib import Path

from application.service import ActionTrail
from infrastructure.config import ConfigurationError, Settings
from infrastructure.integrity.checkpoints import (
    Checkpointer,
    CheckpointThread,
    Policy,
    read_witness,
)
from infrastructure.integrity.keys import Signer, load_signer, public_pem, trusted_keys
from infrastructure.integrity.links import Checkpoint
from infrastructure.integrity.report import IntegrityReport
from infrastructure.integrity.store import ChainStore
from infrastructure.integrity.verify import Progress, verify

log = logging.getLogger(__name__)


class Integrity:
    """``ConfigurationError`` when a signing key is configured but cannot be read."""

    def __init__(self, settings: Settings, app: ActionTrail) -> None:
        store = getattr(app.recorder, "chain", None)
        if not isinstance(store, ChainStore):
            raise TypeError(f"{type(app.recorder).__name__} keeps no hash chain")
        self.store = store
        self.settings = settings
        self.signer: Signer | None = load_signer(settings)

    def checkpointer(self) -> Checkpointer:
        policy = Policy(
            self.settings.checkpoint_every, timedelta(minutes=self.settings.checkpoint_minutes)
        )
        return Checkpointer(self.store, self.signer, policy, self.settings.witness_file)

    def checkpoint(self, *, force: bool = True) -> Checkpoint | None:
        """A checkpoint now (``force``) or when due; None when the chain has not grown since."""
        return self.checkpointer().make(force=force)

    def background(self) -> CheckpointThread:
        """A server's checkpoint thread (not started)."""
        return CheckpointThread(self.checkpointer())

    def public_key_pem(self) -> str | None:
        """The checkpoints' public key: the signing key's, else the trusted keys' (PEM)."""
        if self.signer is not None:
            return self.signer.public_pem
        trusted = trusted_keys(self.settings, None, None)
        return "".join(public_pem(k) for k in trusted.keys.values()) or None

    def verify(
        self,
        *,
        start_seq: int | None = None,
        public_keys: Path | None = None,
        witness: Path | None = None,
        progress: Progress | None = None,
    ) -> IntegrityReport:
        """The log verified against its chain and checkpoints (``verify.verify``): trusting the
        signing key's public half, ``ACTIONTRAIL_PUBLIC_KEYS_FILE`` and ``public_keys``; with the
        witness file ``witness`` (default ``ACTIONTRAIL_WITNESS_FILE``, if it exists yet)."""
        trusted = trusted_keys(self.settings, self.signer, public_keys)
        notes: list[str] = []
        witnessed: list[Checkpoint] = []
        if witness is not None and not witness.is_file():
            raise ConfigurationError(f"--witness: no file at {witness}")
        chosen = witness or self.settings.witness_file
        if chosen is not None:
            if chosen.is_file():
                witnessed, skipped = read_witness(chosen)
                notes.append(
                    f"compared with {len(witnessed)} checkpoint(s) of the witness {chosen}"
                )
                if skipped:
                    notes.append(f"{skipped} line(s) of the witness file are not checkpoints")
            else:
                notes.append(f"the witness file {chosen} does not exist yet")
        report = verify(
            self.store, trusted, witness=witnessed, start_seq=start_seq, progress=progress
        )
        report.notes[:0] = notes
        return report


def after_writes(settings: Settings, app: ActionTrail) -> None:
    """Once a command-line process that wrote events is done: a checkpoint, if one is due.
    Never raises: a failure is a warning (the next process, or the server, makes it)."""
    store = getattr(app.recorder, "chain", None)
    if not isinstance(store, ChainStore) or store.chained_here == 0:
        return
    try:
        made = Integrity(settings, app).checkpoint(force=False)
    except Exception as error:
        log.warning("actiontrail: checkpoint not made: %s", error)
        return
    if made is not None and not made.signed:
        log.warning(
            "actiontrail: checkpoint %s (position %s) written unsigned: no signing key "
            "(ACTIONTRAIL_SIGNING_KEY_FILE); see docs/integrity.md",
            made.seq,
            made.position,
        )
