"""Strategy meetings as a case-management system exports them: one CSV row each, UK dates.

Each CSV row becomes a meeting row of the JSON format (``import_format``), which is checked as
any other; ``meeting_from_csv`` maps the columns, ``COLUMN_FIELDS`` says where each goes, and a
problem found in a row (by the CSV reading or the row's checks) is named by its column.
``docs/import-format.md`` lists them.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.clock import LONDON
from domain.text import quoted
from infrastructure.importing.format import Section
from infrastructure.importing.source import ImportFileError

#: Each column's place in a meeting row of the JSON format (list indexes left out).
COLUMN_FIELDS: dict[str, tuple[str, ...]] = {
    "meeting_ref": ("ref",),
    "case_ref": ("case_ref",),
    "concern_raised": ("concern_raised_at",),
    "kind": ("kind",),
    "team": ("team",),
    "invited": ("invitations",),
    "held": ("held",),
    "format": ("held", "format"),
    "attended": ("attendance",),
    "decisions": ("decisions",),
    "rationale": ("decisions", "rationale"),
    "record_shared": ("record_shared",),
    "shared_with": ("record_shared", "agencies"),
    "quality": ("quality_assessments",),
    "audit_ref": ("quality_assessments", "audit_ref"),
    "quality_notes": ("quality_assessments", "notes"),
    "assessed": ("quality_assessments", "assessed_on"),
}
CSV_COLUMNS = tuple(COLUMN_FIELDS)
REQUIRED_CSV_COLUMNS = ("meeting_ref", "case_ref", "concern_raised", "kind", "team")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")


class CsvValueError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass
class CsvRow:
    """A CSV line as a meeting row (what could be read of it), and the values that could not."""

    ref: str | None
    row: dict[str, Any] | None
    problems: list[CsvValueError] = field(default_factory=list)


def column_of(location: str) -> str:
    """The column a meeting row's field comes from: ``held.held_at`` is ``held``,
    ``invitations[2].agency`` is ``invited``; ``row`` (the row as a whole) stays ``row``."""
    path = tuple(part for part in re.sub(r"\[\d+\]", "", location).split(".") if part)
    matches = [c for c, place in COLUMN_FIELDS.items() if path[: len(place)] == place]
    return max(matches, key=lambda c: len(COLUMN_FIELDS[c]), default=location)


def _header(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def read_meetings_csv(text: str) -> Iterator[tuple[Section, int, CsvRow]]:
    """(section, row number, raw row) of each meeting of a CSV file."""
    reader = csv.reader(io.StringIO(text))
    header = next(_csv_lines(reader), None)
    if not header:
        raise ImportFileError("the CSV file has no header line")
    columns = [_header(name) for name in header]
    unknown = [name for name in columns if name not in CSV_COLUMNS]
    missing = [name for name in REQUIRED_CSV_COLUMNS if name not in columns]
    if unknown or missing:
        raise ImportFileError(
            f"CSV columns: unknown {quoted(unknown, 200)}, missing {missing}; "
            f"expected {list(CSV_COLUMNS)}"
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise ImportFileError(f"CSV columns named more than once: {repeated}")
    return _csv_rows(reader, columns)


def _csv_lines(reader: Any) -> Iterator[list[str]]:
    """The CSV records, blank lines left out; a record the csv module cannot read is fatal."""
    while True:
        try:
            fields = next(reader, None)
        except csv.Error as error:
            raise ImportFileError(f"CSV line {reader.line_num}: {error}") from None
        if fields is None:
            return
        if fields:
            yield fields


def _csv_rows(reader: Any, columns: list[str]) -> Iterator[tuple[Section, int, CsvRow]]:
    for fields in _csv_lines(reader):
        values = {name: value.strip() for name, value in zip(columns, fields, strict=False)}
        if len(fields) != len(columns):
            message = f"the line has {len(fields)} fields; the header has {len(columns)}"
            ref = values.get("meeting_ref") or None
            yield "meetings", reader.line_num, CsvRow(ref, None, [CsvValueError("row", message)])
            continue
        yield "meetings", reader.line_num, meeting_from_csv(values)


def uk_datetime(value: str, column: str) -> datetime:
    """DD/MM/YYYY [HH:MM], London time; never read in US order."""
    match = UK_DATE.match(value)
    if not match:
        raise CsvValueError(
            column, f"{quoted(value)} is not a date as DD/MM/YYYY or DD/MM/YYYY HH:MM"
        )
    day, month, year, hour, minute = match.groups()
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=LONDON
        )
    except ValueError as error:
        raise CsvValueError(column, f"{quoted(value)} is not a real date ({error})") from None


def _codes(value: str) -> list[tuple[str, str | None]]:
    """'police; health (mash-nurse)' as [('police', None), ('health', 'mash-nurse')]."""
    result = []
    for item in filter(None, (part.strip() for part in value.split(";"))):
        name, _, role = item.partition("(")
        result.append((_code(name), _code(role.rstrip(")")) or None))
    return result


def _code(value: str) -> str:
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def meeting_from_csv(values: dict[str, str]) -> CsvRow:
    """One CSV row as a meeting row of the JSON format; a value that cannot be read is left
    out of it and listed as a problem, so that every problem of the row is found."""
    problems: list[CsvValueError] = []

    def when(column: str) -> datetime | None:
        try:
            return uk_datetime(values[column], column)
        except CsvValueError as error:
            problems.append(error)
            return None

    invited = _codes(values.get("invited", ""))
    attended = {agency for agency, _ in _codes(values.get("attended", ""))}
    row: dict[str, Any] = {
        "ref": values["meeting_ref"],
        "case_ref": values["case_ref"],
        "concern_raised_at": when("concern_raised"),
        "kind": _code(values["kind"]),
        "team": values["team"],
        "invitations": [{"agency": a, "role": r} for a, r in invited],
    }
    unknown_attendees = attended - {agency for agency, _ in invited}
    if unknown_attendees:
        message = f"{sorted(unknown_attendees)} attended but are not in 'invited'"
        problems.append(CsvValueError("attended", message))
    if values.get("held"):
        row["held"] = {
            "held_at": when("held"),
            "format": _code(values.get("format", "")),
        }
        row["attendance"] = [
            {"agency": a, "role": r, "attended": a in attended} for a, r in invited
        ]
        rationale = values.get("rationale") or "as recorded in the case management system"
        row["decisions"] = [
            {"decision": d, "rationale": rationale} for d, _ in _codes(values.get("decisions", ""))
        ]
    if values.get("record_shared"):
        shared_with = [a for a, _ in _codes(values.get("shared_with", ""))]
        row["record_shared"] = {
            "shared_at": when("record_shared"),
            "agencies": shared_with or [a for a, _ in invited],
        }
    if values.get("quality"):
        assessed = when("assessed") if values.get("assessed") else None
        row["quality_assessments"] = [
            {
                "rating": _code(values["quality"]),
                "audit_ref": values.get("audit_ref", ""),
                "notes": values.get("quality_notes") or None,
                "assessed_on": assessed.date() if assessed else None,
            }
        ]
    return CsvRow(values["meeting_ref"] or None, row, problems)
