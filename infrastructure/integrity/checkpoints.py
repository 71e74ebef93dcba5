"""Checkpoints: the chain's value at a position, at a time, signed with the key kept outside the
database, stored beside the chain and appended to a witness file.

A checkpoint is due once the chain has grown ``every`` events since the last one, or when it has
grown at all and ``interval`` has passed since the last one (since the chain began, before the
first). It is made from the chain *recomputed* from the last checkpoint's value over the events
since, never from the stored values alone: a log changed since the last checkpoint is refused
(``LogBroken``) rather than signed.

Who makes them (each only when due, but the last):

- every ``serve`` worker, in a thread of its own (``CheckpointThread``), woken when its saves
  pass ``every`` events and every ``POLL_SECONDS`` (so at least hourly while writes happen,
  whichever process writes);
- the command line, once a command that wrote events is done (``Services.close``);
- ``actiontrail integrity checkpoint``, at once, for cron where no server runs.

Processes never write two checkpoints of one number: each is stored under a lock (PostgreSQL:
an advisory transaction lock; SQLite: its write lock) after reading the last one again, and a
process that finds that another made one meanwhile makes none.
"""

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from domain.clock import utc_now
from infrastructure.integrity.keys import Signer
from infrastructure.integrity.links import START, Checkpoint, Link
from infrastructure.integrity.store import ChainStore, Heads
from infrastructure.integrity.verify import Finding, Walk

log = logging.getLogger(__name__)

#: How often a server's checkpoint thread looks whether one is due.
POLL_SECONDS = 30.0


class LogBroken(Exception):
    """The log does not verify since the last checkpoint: no checkpoint was made."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(
            f"no checkpoint made: position {finding.position}: {finding.reason}: "
            f"{finding.detail} (run actiontrail verify)"
        )
        self.finding = finding


@dataclass(frozen=True)
class Policy:
    every: int
    interval: timedelta


class Checkpointer:
    def __init__(
        self,
        store: ChainStore,
        signer: Signer | None,
        policy: Policy,
        witness: Path | None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.signer = signer
        self.policy = policy
        self.witness = witness
        self.now = now

    def due(self, last: Checkpoint | None, head: Link | None, began: str) -> bool:
        if head is None or (last is not None and head.position <= last.position):
            return False
        since = last.position if last else 0
        if head.position - since >= self.policy.every:
            return True
        try:
            made = datetime.fromisoformat(last.signed_at if last else began)
        except ValueError:  # not a time (changed by hand): make one now
            return True
        return self.now() - made >= self.policy.interval

    def make(self, *, force: bool = False) -> Checkpoint | None:
        """The next checkpoint when one is due (``force``: whenever the chain has grown since
        the last), stored and exported; None when none was made."""
        record = self.store.log_record()
        if record is None:
            return None
        last = self.store.last_checkpoint()
        head = self.store.heads().chain
        if head is None or (last is not None and head.position <= last.position):
            return None
        if not force and not self.due(last, head, record.started_at):
            return None
        value = self._recomputed(last, head)

        def build(latest: Checkpoint | None) -> Checkpoint | None:
            if latest != last:
                return None  # another process made one meanwhile
            made = Checkpoint(
                log=record.log_id,
                seq=(last.seq if last else 0) + 1,
                position=value.position,
                hash=value.value.hex(),
                signed_at=self.now().isoformat(timespec="seconds"),
            )
            if self.signer is None:
                return made
            made = replace(made, key=self.signer.key_id)
            return replace(made, signature=self.signer.sign(made.message()))

        made = self.store.add_checkpoint(build, self.signer.public_pem if self.signer else None)
        if made is not None:
            self._export(made)
        return made

    def _recomputed(self, last: Checkpoint | None, head: Link) -> Link:
        """The chain's value at ``head``, recomputed from ``last``'s over the events since."""
        start = START
        if last is not None:
            start = Link(last.position, last.value() or bytes(32))
            stored = self.store.link_at(last.position)
            if stored is None or stored.value != last.value():
                raise LogBroken(
                    Finding(
                        last.position,
                        "chain-rewritten",
                        f"the chain's stored value at position {last.position} is not the one "
                        f"checkpoint {last.seq} holds",
                    )
                )
        walked = Walk(self.store, start, Heads(head.position, head), ()).run()
        if walked.finding is not None:
            raise LogBroken(walked.finding)
        if walked.last.position != head.position:
            raise LogBroken(
                Finding(
                    walked.last.position + 1,
                    "tail-truncated",
                    f"the chain goes on to position {head.position}, but the log's events end "
                    f"at position {walked.last.position}",
                )
            )
        return walked.last

    def _export(self, checkpoint: Checkpoint) -> None:
        """Append the checkpoint to the witness file, one JSON line in one write (a failure is a
        warning: the checkpoint is stored)."""
        if self.witness is None:
            return
        line = json.dumps(checkpoint.as_json(), sort_keys=True) + "\n"
        try:
            descriptor = os.open(self.witness, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(descriptor, line.encode())
            finally:
                os.close(descriptor)
        except OSError as error:
            log.warning(
                "checkpoint %s could not be appended to the witness file %s: %s",
                checkpoint.seq,
                self.witness,
                error.strerror,
            )


def read_witness(path: Path) -> tuple[list[Checkpoint], int]:
    """The checkpoints of a witness file, and how many of its lines are not checkpoints (a
    line cut short by a crash, say)."""
    found: list[Checkpoint] = []
    skipped = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            try:
                found.append(Checkpoint.from_json(json.loads(line)))
            except (ValueError, AttributeError):
                skipped += 1
    return found, skipped


class CheckpointThread:
    """A server's checkpoints: made when due, looked at every ``POLL_SECONDS`` and when this
    process's saves pass ``every`` events since the last."""

    def __init__(self, checkpointer: Checkpointer, poll_seconds: float = POLL_SECONDS) -> None:
        self.checkpointer = checkpointer
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._last_position = 0
        self._thread = threading.Thread(target=self._run, name="checkpoints", daemon=True)

    def start(self) -> None:
        if self.checkpointer.signer is None:
            log.warning(
                "actiontrail: no signing key (ACTIONTRAIL_SIGNING_KEY_FILE or "
                "ACTIONTRAIL_SIGNING_KEY): checkpoints of the log's hash chain are written "
                "unsigned; see docs/integrity.md"
            )
        self._thread.start()

    def poke(self, position: int) -> None:
        """A save reached ``position``: look at once if that may make a checkpoint due."""
        if position - self._last_position >= self.checkpointer.policy.every:
            self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(10)

    def _run(self) -> None:
        reported: str | None = None
        while not self._stopping.is_set():
            try:
                made = self.checkpointer.make()
                if made is not None:
                    self._last_position = made.position
                reported = None
            except LogBroken as broken:
                if str(broken) != reported:
                    log.error("actiontrail: %s", broken)
                    reported = str(broken)
            except Exception as error:  # the database gone a while: try again later
                log.warning("actiontrail: checkpoint not made: %s", error)
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
