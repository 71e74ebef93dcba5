"""Verification: the chain recomputed from the stored events, each checkpoint's signature
checked, and the first place where the log is not what was chained or signed, named.

Checkpoints come from the database and, when given, a witness file; a checkpoint the witness
holds and the database does not (or holds otherwise) is itself a finding, and the witness's
copy is the one the log is compared with.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from application.errors import NotFound
from infrastructure.integrity.keys import TrustedKeys, key_id, public_keys_in, signature_holds
from infrastructure.integrity.links import START, Checkpoint, Link, link
from infrastructure.integrity.report import (
    CheckpointView,
    IntegrityReport,
    Mismatch,
    Reason,
    Trust,
)
from infrastructure.integrity.store import ChainStore, Heads, LogRecord, WalkRow

#: Events read at a time.
BATCH = 10_000
#: Told how far verification has gone: positions done, positions to do.
Progress = Callable[[int, int], None]
#: How a checkpoint's signature was checked.
Signature = Literal["trusted-key", "database-key", "unsigned", "no-key"]


@dataclass(frozen=True)
class Finding:
    position: int
    reason: Reason
    detail: str
    #: ``walk``: found while recomputing (verified up to ``verified_to``); ``checkpoint``: a
    #: checkpoint that does not hold (verified up to the last one before it that does).
    kind: Literal["walk", "checkpoint"] = "checkpoint"
    verified_to: int = 0


@dataclass(frozen=True)
class Checked:
    checkpoint: Checkpoint
    signature: Signature
    finding: Finding | None = None


@dataclass
class Walked:
    """Where the walk ended: the last link it verified, the checkpoints that matched on the way
    (position, signature), and what stopped it, if anything did."""

    last: Link
    matched: list[Checked] = field(default_factory=list)
    finding: Finding | None = None
    #: Whether the walk ended at events after the chain's last link, not linked yet.
    unlinked: bool = False


def _aggregate(aggregate_id: bytes, version: int) -> str:
    name = str(UUID(bytes=aggregate_id)) if len(aggregate_id) == 16 else aggregate_id.hex()
    return f"aggregate {name} version {version}"


def check_signature(
    checkpoint: Checkpoint, trusted: TrustedKeys, database_keys: dict[str, str]
) -> Checked:
    """How far ``checkpoint``'s signature holds: with a trusted key, with only the database's
    own copy of its key (no trusted key given), or not at all (a finding)."""
    c = checkpoint
    name = f"checkpoint {c.seq} (position {c.position}, {c.signed_at})"
    if not c.signed:
        if c.key is not None or c.signature is not None:
            broken = Finding(c.position, "chain-rewritten", f"{name} has a key but no signature")
            return Checked(c, "unsigned", broken)
        return Checked(c, "unsigned")
    assert c.key is not None
    stored, replaced = _database_key(c, name, database_keys)
    if replaced is not None:
        return Checked(c, "no-key", replaced)
    if trusted:
        key = trusted.keys.get(c.key)
        if key is None:
            detail = (
                f"{name} is signed with key {c.key}, which is not among the keys trusted "
                f"({', '.join(sorted(trusted.keys))}): the database's key was replaced (or the "
                "key was rotated and its public half is missing from the trusted keys)"
            )
            return Checked(c, "no-key", Finding(c.position, "public-key-replaced", detail))
        if not signature_holds(key, c):
            return Checked(c, "no-key", _forged(name, c))
        return Checked(c, "trusted-key")
    if stored is None:
        return Checked(c, "no-key")
    if not signature_holds(stored, c):
        return Checked(c, "no-key", _forged(name, c))
    return Checked(c, "database-key")


def _database_key(
    c: Checkpoint, name: str, database_keys: dict[str, str]
) -> tuple[Ed25519PublicKey | None, Finding | None]:
    """The public key the database holds for ``c``'s key id (None if it holds none), or the
    finding that the key it holds under that id is another key."""
    assert c.key is not None
    stored_pem = database_keys.get(c.key)
    if stored_pem is None:
        return None, None
    try:
        keys = public_keys_in(stored_pem)
    except ValueError:
        keys = []
    stored = keys[0] if len(keys) == 1 else None
    if stored is None or key_id(stored) != c.key:
        detail = (
            f"the public key the database holds as key {c.key}, which signed {name}, is not "
            "that key: it was replaced"
        )
        return None, Finding(c.position, "public-key-replaced", detail)
    return stored, None


def _forged(name: str, c: Checkpoint) -> Finding:
    return Finding(
        c.position,
        "chain-rewritten",
        f"the signature of {name} does not verify with key {c.key}: its position, hash or time "
        "was changed without the signing key",
    )


def merged(
    stored: Sequence[Checkpoint], witness: Sequence[Checkpoint], log_id: str
) -> tuple[list[Checkpoint], list[Finding], list[str]]:
    """The checkpoints to compare the log with, by ``seq`` (the witness's where it differs from
    the database), findings of checkpoints removed or changed, and notes."""
    by_seq = {c.seq: c for c in stored}
    findings: list[Finding] = []
    notes: list[str] = []
    foreign = [w for w in witness if w.log != log_id]
    if foreign:
        notes.append(f"{len(foreign)} witness checkpoint(s) are of another log; not compared")
    for w in witness:
        if w.log != log_id:
            continue
        ours = by_seq.get(w.seq)
        if ours is None:
            findings.append(
                Finding(
                    w.position,
                    "checkpoint-removed",
                    f"checkpoint {w.seq} (position {w.position}, {w.signed_at}) is in the witness "
                    "file but not in the database",
                )
            )
        elif ours != w:
            findings.append(
                Finding(
                    min(ours.position, w.position),
                    "chain-rewritten",
                    f"checkpoint {w.seq} in the database (position {ours.position}, hash "
                    f"{ours.hash[:16]}…) differs from the witness's (position {w.position}, hash "
                    f"{w.hash[:16]}…)",
                )
            )
        by_seq[w.seq] = w
    ordered = [by_seq[seq] for seq in sorted(by_seq)]
    present = set(by_seq)
    for seq in range(1, max(present, default=0) + 1):
        if seq not in present:
            following = next(c for c in ordered if c.seq > seq)
            findings.append(
                Finding(
                    following.position,
                    "checkpoint-removed",
                    f"checkpoint {seq} is missing: the checkpoints are numbered 1, 2, 3... and "
                    f"none is numbered {seq} (the next, {following.seq}, is at position "
                    f"{following.position})",
                )
            )
    return ordered, findings, notes


class Walk:
    """The chain recomputed from ``start`` over the events up to ``stop``."""

    def __init__(
        self,
        store: ChainStore,
        start: Link,
        heads: Heads,
        checkpoints: Sequence[Checked],
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.start = start
        self.stop = heads.events
        self.chained_to = heads.chain.position if heads.chain else 0
        self.at: dict[int, list[Checked]] = {}
        for checked in checkpoints:
            self.at.setdefault(checked.checkpoint.position, []).append(checked)
        self.progress = progress

    def run(self) -> Walked:
        """Recompute link after link (the loop is the hot path of verification: an event that
        verifies costs one link and a few comparisons); stop at the first that does not."""
        walked = Walked(self.start)
        position, value = self.start
        stop, at, identity = self.stop, self.at, self.store.identity
        total = max(stop - position, 0)
        while position < stop:
            rows = self.store.walk(position, BATCH)
            for row in rows:
                at_position, aggregate, version, topic, state, previous, of, of_version, stored = (
                    row
                )
                if at_position > stop:
                    break
                if previous == position and of == aggregate and of_version == version:
                    expected = link(value, at_position, identity(aggregate), version, topic, state)
                    if expected == stored:
                        position, value = at_position, expected
                        if position in at and not self._checkpoints_hold(walked, position, value):
                            return walked
                        continue
                walked.last = Link(position, value)
                self._stopped(walked, row)
                return walked
            walked.last = Link(position, value)
            if self.progress is not None:
                self.progress(min(position, stop) - self.start.position, total)
            if len(rows) < BATCH or rows[-1][0] > stop:
                break
        return walked

    def _checkpoints_hold(self, walked: Walked, position: int, value: bytes) -> bool:
        """Whether every checkpoint at ``position`` holds the recomputed ``value``."""
        for checked in self.at[position]:
            c = checked.checkpoint
            if c.hash != value.hex():
                walked.last = Link(position, value)
                walked.finding = Finding(
                    position,
                    "chain-rewritten",
                    f"checkpoint {c.seq} ({c.signed_at}) holds {c.hash[:16]}… as the chain's "
                    f"value at position {position}; recomputed from the log it is "
                    f"{value.hex()[:16]}…: the log up to there was changed, and its chain "
                    "rewritten to match, after that checkpoint was made",
                )
                return False
            walked.matched.append(checked)
        return True

    def _stopped(self, walked: Walked, row: WalkRow) -> None:
        """Why the walk stops at ``row`` (the event after ``walked.last``)."""
        position, aggregate, version, topic, state, previous, of, of_version, _ = row
        aggregate_id = self.store.identity(aggregate)
        if previous is None:
            if position > self.chained_to:
                walked.unlinked = True
                return
            walked.finding = self._found(
                walked,
                position,
                "event-inserted",
                f"the event at position {position} ({_aggregate(aggregate_id, version)}) has "
                f"no chain value, among events that have one (the chain goes on to position "
                f"{self.chained_to})",
            )
        elif previous != walked.last.position:
            walked.finding = self._out_of_sequence(walked, position, previous)
        elif (of, of_version) != (aggregate, version):
            walked.finding = self._moved(walked, position, aggregate_id, version)
        else:
            expected = link(walked.last.value, position, aggregate_id, version, topic, state)
            walked.finding = self._changed(walked, position, aggregate_id, version, expected)

    def _found(self, walked: Walked, position: int, reason: Reason, detail: str) -> Finding:
        return Finding(position, reason, detail, "walk", walked.last.position)

    def _out_of_sequence(self, walked: Walked, position: int, previous: int | None) -> Finding:
        last = walked.last.position
        if previous is not None and previous > last:
            gone = self.store.link_at(previous)
            what = _aggregate(gone.aggregate_id, gone.version) if gone else "its event"
            return self._found(
                walked,
                previous,
                "event-removed",
                f"the event chained at position {previous} ({what}) is no longer in the log: "
                f"the chain at position {position} follows it",
            )
        return self._found(
            walked,
            last,
            "event-inserted",
            f"the event at position {last} was not chained there: the chain at position "
            f"{position} follows position {previous}",
        )

    def _moved(self, walked: Walked, position: int, aggregate_id: bytes, version: int) -> Finding:
        here = _aggregate(aggregate_id, version)
        chained = self.store.link_at(position)
        assert chained is not None
        was = _aggregate(chained.aggregate_id, chained.version)
        now_at = self.store.position_of(chained.aggregate_id, chained.version)
        if now_at is not None and now_at != position:
            return self._found(
                walked,
                position,
                "events-reordered",
                f"position {position} holds {here}, but the chain has {was} there, which now "
                f"stands at position {now_at}",
            )
        return self._found(
            walked,
            position,
            "event-removed",
            f"the event chained at position {position} ({was}) is no longer in the log; {here} "
            "stands in its place",
        )

    def _changed(
        self, walked: Walked, position: int, aggregate_id: bytes, version: int, expected: bytes
    ) -> Finding:
        following = self.store.walk(position, 1)
        if following and following[0][5] == position:
            n_position, n_id, n_version, n_topic, n_state, _, _, _, n_value = following[0]
            n_identity = self.store.identity(n_id)
            if link(expected, n_position, n_identity, n_version, n_topic, n_state) == n_value:
                return self._found(
                    walked,
                    position,
                    "chain-altered",
                    f"the chain's stored value at position {position} was changed: the event "
                    "there matches, and the next link follows from the event",
                )
        return self._found(
            walked,
            position,
            "state-changed",
            f"the event at position {position} ({_aggregate(aggregate_id, version)}) is not "
            "what was chained: its stored state (or topic) was changed",
        )


def _tail(
    walked: Walked, heads: Heads, checkpoints: Sequence[Checkpoint], stop: int
) -> Finding | None:
    """A finding when a checkpoint, or the chain, reaches past the end of what was walked."""
    end = walked.last.position
    beyond = [c for c in checkpoints if c.position > end]
    chain_end = heads.chain.position if heads.chain else 0
    if walked.unlinked:
        if not beyond:
            return None
        c = beyond[0]
        return Finding(
            end + 1,
            "chain-altered",
            f"checkpoint {c.seq} ({c.signed_at}) covers the log up to position {c.position}, but "
            f"the chain's values after position {end} were removed",
            "walk",
            end,
        )
    if beyond:
        c = beyond[0]
        return Finding(
            end + 1,
            "tail-truncated",
            f"checkpoint {c.seq} ({c.signed_at}) covers the log up to position {c.position}, but "
            f"it ends at position {stop}: the events after position {end} were removed",
            "walk",
            end,
        )
    if chain_end > max(end, stop):
        return Finding(
            end + 1,
            "tail-truncated",
            f"the chain goes on to position {chain_end}, but the log ends at position {stop}: "
            f"the events after position {end} were removed",
            "walk",
            end,
        )
    return None


def _starting_point(
    store: ChainStore, checked: Sequence[Checked], seq: int, findings: list[Finding]
) -> tuple[Link, Checked | None]:
    """Where a walk from checkpoint ``seq`` starts, and that checkpoint when it holds (its
    signature, and the chain's stored value at its position); a finding when it does not."""
    chosen = next((c for c in checked if c.checkpoint.seq == seq), None)
    if chosen is None:
        raise NotFound("checkpoint", str(seq))
    c = chosen.checkpoint
    start = Link(c.position, c.value() or bytes(32))
    stored = store.link_at(c.position)
    if stored is None or stored.value != c.value():
        findings.append(
            Finding(
                c.position,
                "chain-rewritten",
                f"the chain's stored value at position {c.position} is not the one checkpoint "
                f"{c.seq} ({c.signed_at}) holds",
            )
        )
        return start, None
    return start, None if chosen.finding is not None else chosen


def verify(
    store: ChainStore,
    trusted: TrustedKeys,
    *,
    witness: Sequence[Checkpoint] = (),
    start_seq: int | None = None,
    progress: Progress | None = None,
) -> IntegrityReport:
    """Recompute the chain over the log (from checkpoint ``start_seq`` when given, whose
    signature must hold) and check every checkpoint: the answer names the first mismatch."""
    record = store.log_record()
    log_id = record.log_id if record else ""
    # The checkpoints before the heads: one made meanwhile must not seem to reach past the log.
    checkpoints, findings, notes = merged(store.checkpoints(), witness, log_id)
    database_keys = store.keys()
    heads = store.heads()
    checked = [check_signature(c, trusted, database_keys) for c in checkpoints]
    findings += [c.finding for c in checked if c.finding is not None]
    start, starting = START, None
    if start_seq is not None:
        start, starting = _starting_point(store, checked, start_seq, findings)
        findings = [f for f in findings if f.position >= start.position]
    on_the_way = [c for c in checked if c.checkpoint.position > start.position]
    walked = Walk(store, start, heads, on_the_way, progress).run()
    if starting is not None:
        walked.matched.insert(0, starting)
    if walked.finding is not None:
        findings.append(walked.finding)
    else:
        tail = _tail(walked, heads, [c.checkpoint for c in on_the_way], heads.events)
        if tail is not None:
            findings.append(tail)
    notes += _notes_on_the_walk(walked, record)
    first = min(findings, key=lambda f: (f.position, f.kind != "walk"), default=None)
    verified_to = _verified_to(first, walked, start)
    signed = [
        m.checkpoint.position
        for m in walked.matched
        if m.signature == "trusted-key" and m.checkpoint.position <= verified_to
    ]
    trust = _trust(bool(signed), {m.signature for m in walked.matched}, notes)
    return IntegrityReport(
        status="broken" if first is not None else "ok",
        head=heads.events,
        verified_from=start.position + 1,
        verified_to=verified_to,
        signed_to=max(signed, default=0),
        trust=trust,
        last_checkpoint=CheckpointView.of(checkpoints[-1]) if checkpoints else None,
        first_mismatch=(
            Mismatch(position=first.position, reason=first.reason, detail=first.detail)
            if first
            else None
        ),
        checkpoints=len(walked.matched),
        chain_started_at=record.started_at if record else None,
        backfilled_to=record.backfilled_to if record else 0,
        notes=notes,
    )


def _notes_on_the_walk(walked: Walked, record: LogRecord | None) -> list[str]:
    """What the answer must say beside its findings: events not linked yet, and events that
    were chained when the chain began rather than as they were written."""
    notes = []
    if walked.unlinked:
        notes.append(
            f"the events after position {walked.last.position} have no chain value yet (written "
            "just now by an older actiontrail, or copied in by SQL); any actiontrail process "
            "chains them when it starts or next writes"
        )
    if record is not None and record.backfilled_to:
        notes.append(
            f"events 1 to {record.backfilled_to} were written before the chain began; they were "
            f"chained as they stood on {record.started_at}, which the chain cannot vouch for "
            "before then"
        )
    return notes


def _verified_to(first: Finding | None, walked: Walked, start: Link) -> int:
    """The last position the chain vouches for: the walk's end, or the last checkpoint matched
    before the first finding."""
    if first is None:
        return walked.last.position
    if first.kind == "walk":
        return min(walked.last.position, first.verified_to)
    before = [
        m.checkpoint.position for m in walked.matched if m.checkpoint.position < first.position
    ]
    return max(before, default=start.position)


def _trust(signed: bool, kinds: set[str], notes: list[str]) -> Trust:
    """How far the checkpoints matched are trusted (``notes`` gains why, when only the
    database's own key checked them)."""
    if signed:
        return "trusted-key"
    if "database-key" in kinds:
        notes.append(
            "signatures were checked only with the public key the database holds, which anyone "
            "with access to the database could replace: give the trusted public key "
            "(ACTIONTRAIL_PUBLIC_KEYS_FILE or --public-key)"
        )
        return "database-key"
    if kinds:
        return "unsigned"
    return "none"
