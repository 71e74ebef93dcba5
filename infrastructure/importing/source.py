"""An import file's text and JSON, read so that every malformed file is one clear error.

The limits and the errors are listed in ``docs/import-format.md``.
"""

import codecs
import json
import math
from pathlib import Path
from typing import Any

from domain.text import quoted

#: Larger files are refused before they are read (a whole import is held in memory).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Byte-order marks of encodings other than UTF-8, by name.
OTHER_BOMS = {
    "UTF-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
    "UTF-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not JSON, wrong format tag, unknown columns...)."""


def read_text(path: Path) -> str:
    """The text of a UTF-8 file (a byte-order mark is allowed) of at most ``MAX_FILE_BYTES``."""
    try:
        if path.is_dir():
            raise ImportFileError("is a directory, not a file")
        if not path.exists():
            raise ImportFileError("no such file")
        if not path.is_file():
            raise ImportFileError("is not a regular file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(f"is {_megabytes(size)}; the limit is {_limit()}")
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImportFileError(f"cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"grew past {_limit()} while being read")
    return decode(data)


def decode(data: bytes) -> str:
    """UTF-8 text, or a clear error: empty, another encoding, binary."""
    if not data.strip():
        raise ImportFileError("the file is empty")
    for encoding, boms in OTHER_BOMS.items():
        if data.startswith(boms):
            raise ImportFileError(f"the file is {encoding} text; save it as UTF-8")
    if b"\x00" in data:
        raise ImportFileError(f"the file holds NUL bytes on line {_line(data, data.index(0))}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise ImportFileError(
            f"the file is not UTF-8 text: byte 0x{byte:02x} on line {_line(data, error.start)}; "
            "save it as UTF-8"
        ) from None


def load_json(text: str) -> Any:
    """JSON without NaN, infinities, over-long numbers or a member named twice."""
    try:
        return json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            object_pairs_hook=_members_once,
        )
    except ImportFileError:
        raise
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise ImportFileError("not valid JSON: arrays or objects nested too deeply") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise ImportFileError(f"not valid JSON: {error}".split(";")[0]) from None


def _refuse_constant(name: str) -> Any:
    raise ImportFileError(f"not valid JSON: {name} is not a number")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ImportFileError(f"not valid JSON: the number {quoted(text)} is out of range")
    return number


def _members_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for name, value in pairs:
        if name in members:
            raise ImportFileError(f"not valid JSON: {quoted(name)} appears twice in one object")
        members[name] = value
    return members


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def _limit() -> str:
    return f"{MAX_FILE_BYTES // 1024 // 1024} MiB"
