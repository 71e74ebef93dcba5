"""Making a pack, and checking one against the log.

**The checkpoint.** A pack is computed at a checkpoint that covers every event recorded by
``known_at``: the one asked for, or by default the first whose position is at or after the
last event recorded by then (one is made now if none is yet), so that the same ``as_of`` and
``known_at`` choose the same checkpoint whenever the pack is made. ``known_at`` may not be in
the future: what will be recorded later could still change the pack.

**Checking** (``verify``): the pack's manifest read back; the log verified against its chain
and checkpoints (a mismatch at or before the pack's checkpoint fails the pack, naming the
event); the pack's checkpoint compared with the log's; then the pack regenerated from the
manifest's inputs and compared section by section (each section's hash) and byte for byte.
"""

from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from application.inputs import InvalidFilter
from application.queries import PackQuery
from domain.clock import as_utc, utc_now
from infrastructure.integrity.links import Checkpoint
from infrastructure.integrity.report import REASONS, IntegrityReport, Mismatch
from infrastructure.integrity.service import Integrity
from infrastructure.packs.contents import PackInputs, gather
from infrastructure.packs.manifest import Manifest, NotAPack, manifest_of, read_manifest
from infrastructure.packs.render import moment, render
from projections.service import ReadService

#: What checking a pack found: it matches; the log does not verify up to its checkpoint;
#: it differs from the pack regenerated; the file is not a pack.
PackStatus = Literal["matches", "log-broken", "differs", "not-a-pack"]


class Pack(BaseModel):
    inputs: PackInputs
    pdf: bytes
    sha256: str

    @property
    def filename(self) -> str:
        at = self.inputs.known_at.strftime("%Y%m%dT%H%M%SZ")
        return f"actiontrail-pack-{self.inputs.as_of.isoformat()}-known-{at}.pdf"


class PackCheck(BaseModel):
    """What ``actiontrail pack verify`` answers."""

    status: PackStatus
    inputs: PackInputs | None = None
    #: What differs, each in words (the log's first mismatch, the checkpoint, a section...).
    differences: list[str] = Field(default_factory=list)
    #: The sections whose data differ from the regenerated pack's.
    sections: list[str] = Field(default_factory=list)
    first_mismatch: Mismatch | None = None
    integrity: IntegrityReport | None = None
    sha256: str | None = Field(default=None, description="SHA-256 of the file checked")
    regenerated_sha256: str | None = None


class Packs:
    def __init__(self, read: ReadService, integrity: Integrity, partnership: str) -> None:
        self.read = read
        self.integrity = integrity
        self.partnership = partnership

    def make(self, query: PackQuery) -> Pack:
        """The pack ``query`` asks for (``InvalidFilter`` for one that cannot be made)."""
        known_at = as_utc(query.known_at)
        if known_at > utc_now():
            raise InvalidFilter(
                f"known_at ({known_at.isoformat()}) is in the future: a pack is of what was "
                "recorded by a time that has passed, so that it can be made again the same"
            )
        checkpoint = self._checkpoint(known_at, query.checkpoint)
        inputs = PackInputs.of(query, checkpoint.seq)
        contents = gather(self.read, self.partnership, inputs, checkpoint)
        pdf = render(contents, manifest_of(contents))
        return Pack(inputs=inputs, pdf=pdf, sha256=sha256(pdf).hexdigest())

    def _checkpoint(self, known_at: datetime, seq: int | None) -> Checkpoint:
        last = self.read.last_position_recorded_by(known_at)
        when = moment(known_at)
        if last == 0:
            raise InvalidFilter(f"nothing was recorded by {when}: there is no pack to make")
        checkpoints = self.integrity.store.checkpoints()
        if seq is not None:
            chosen = next((c for c in checkpoints if c.seq == seq), None)
            if chosen is None:
                raise InvalidFilter(f"the log has no checkpoint {seq}")
            if chosen.position < last:
                raise InvalidFilter(
                    f"checkpoint {seq} (position {chosen.position:,}) does not cover every "
                    f"event recorded by {when} (up to position {last:,})"
                )
            return chosen
        covering = next((c for c in checkpoints if c.position >= last), None)
        if covering is not None:
            return covering
        made = self.integrity.checkpoint()
        if made is None or made.position < last:  # pragma: no cover - the chain grew meanwhile
            raise InvalidFilter(f"no checkpoint covers the events recorded by {when}")
        return made

    def verify(
        self, pdf: bytes, public_keys: Path | None = None, witness: Path | None = None
    ) -> PackCheck:
        """Whether the pack ``pdf`` matches the log (``PackCheck``, never raising for a file
        that is not a pack); the log verified trusting ``public_keys`` too, against
        ``witness`` (``Integrity.verify``)."""
        digest = sha256(pdf).hexdigest()
        try:
            manifest = read_manifest(pdf)
        except NotAPack as error:
            return PackCheck(status="not-a-pack", differences=[str(error)], sha256=digest)
        inputs = manifest.inputs
        report = self.integrity.verify(public_keys=public_keys, witness=witness)
        check = PackCheck(status="matches", inputs=inputs, integrity=report, sha256=digest)
        position = int(manifest.checkpoint.get("position", 0))
        first = report.first_mismatch
        if first is not None and first.position <= position:
            check.status = "log-broken"
            check.first_mismatch = first
            check.differences.append(
                f"the log does not verify at position {first.position}, which the pack's "
                f"checkpoint covers: {first.reason}: {REASONS[first.reason]} ({first.detail})"
            )
            return check
        stored = next(
            (c for c in self.integrity.store.checkpoints() if c.seq == inputs.checkpoint), None
        )
        if stored is None:
            check.status = "differs"
            check.differences.append(f"the log has no checkpoint {inputs.checkpoint}")
            return check
        if stored.as_json() != manifest.checkpoint:
            check.status = "differs"
            check.differences.append(
                f"checkpoint {stored.seq} of the log is not the one the pack was computed at"
            )
        try:
            again = self.make(inputs.query())
        except InvalidFilter as error:
            check.status = "differs"
            check.differences.append(f"the pack cannot be made again: {error}")
            return check
        check.regenerated_sha256 = again.sha256
        regenerated = read_manifest(again.pdf)
        check.sections = _changed(manifest, regenerated)
        check.differences += [
            f"section {section}: its data differ from the log's as known at "
            f"{moment(inputs.known_at)}"
            for section in check.sections
        ]
        if manifest.partnership != regenerated.partnership:
            check.differences.append(
                f"the partnership's name: {manifest.partnership!r} in the pack, "
                f"{regenerated.partnership!r} now (ACTIONTRAIL_PARTNERSHIP_NAME)"
            )
        if again.pdf != pdf and not check.differences:
            check.differences.append(
                "the file's bytes differ though every section's data match: the file was "
                "edited, or made by another version of actiontrail"
            )
        if check.differences:
            check.status = "differs"
        return check


def _changed(pack: Manifest, again: Manifest) -> list[str]:
    names = list(dict.fromkeys([*pack.sections, *again.sections]))
    return [name for name in names if pack.sections.get(name) != again.sections.get(name)]
