"""A pack's manifest: its inputs, the checkpoint, and the SHA-256 of each section's canonical
data; embedded in the PDF as the attachment ``manifest.json`` and read back from it.

Canonical data: the section as JSON (the API's field names and forms), keys sorted, no spaces,
UTF-8. The manifest itself is canonical JSON too, so that it is the same bytes each time.
"""

import io
import json
from hashlib import sha256
from typing import Any

from pydantic import BaseModel, ValidationError

from infrastructure.packs.contents import SECTIONS, PackContents, PackInputs

KIND = "actiontrail pack 1"
ATTACHMENT = "manifest.json"


class NotAPack(ValueError):
    """The file is not a PDF carrying a pack's manifest."""


class Manifest(BaseModel):
    kind: str = KIND
    partnership: str
    inputs: PackInputs
    checkpoint: dict[str, Any]
    #: SHA-256 (hex) of each section's canonical data, by section, in the order of the pack.
    sections: dict[str, str]

    def encoded(self) -> bytes:
        return canonical(self.model_dump(mode="json"))


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def section_data(contents: PackContents, section: str) -> Any:
    """A section's data as JSON values (a list of models as a list)."""
    value = getattr(contents, section)
    if isinstance(value, list):
        return [_json(item) for item in value]
    return _json(value)


def _json(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def manifest_of(contents: PackContents) -> Manifest:
    return Manifest(
        partnership=contents.partnership,
        inputs=contents.inputs,
        checkpoint=contents.checkpoint,
        sections={
            section: sha256(canonical(section_data(contents, section))).hexdigest()
            for section in SECTIONS
        },
    )


def read_manifest(pdf: bytes) -> Manifest:
    """The manifest a pack carries (``NotAPack`` when there is none)."""
    from pypdf import PdfReader  # a pack is read only when verified
    from pypdf.errors import PyPdfError

    if not pdf.startswith(b"%PDF-"):
        raise NotAPack("not a PDF file")
    try:
        attached = PdfReader(io.BytesIO(pdf)).attachments.get(ATTACHMENT)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise NotAPack(f"not a readable PDF: {error}") from None
    if not attached:
        raise NotAPack(f"a PDF without {ATTACHMENT}: not an actiontrail pack")
    try:
        manifest = Manifest.model_validate_json(attached[0])
    except ValidationError as error:
        raise NotAPack(f"its {ATTACHMENT} is not a pack's manifest: {error}") from None
    if manifest.kind != KIND:
        raise NotAPack(f"its {ATTACHMENT} is of another kind ({manifest.kind!r}), not {KIND!r}")
    return manifest
