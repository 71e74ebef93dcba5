"""Every malformed import file ends in one ``error:`` line and exit 3, with nothing written."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from infrastructure.cli import importing
from infrastructure.importing import source
from tests.cli.conftest import Run, import_document, meeting_row

HEADER = "Meeting Ref,Case Ref,Concern Raised,Kind,Team\n"
GOOD_JSON = json.dumps(import_document(meetings=[meeting_row("M1")]))


def writes(content: bytes | str, name: str = "bad.json") -> Callable[[Path], Path]:
    def make(directory: Path) -> Path:
        path = directory / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return make


def directory(parent: Path) -> Path:
    path = parent / "folder.json"
    path.mkdir()
    return path


def fifo(parent: Path) -> Path:
    path = parent / "pipe.json"
    import os

    os.mkfifo(path)
    return path


MALFORMED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "deeply nested JSON": (writes("[" * 100_000 + "]" * 100_000), "nested too deeply"),
    "nested JSON in a row": (
        writes(
            '{"format": "actiontrail-import/1", "meetings": [' + "[" * 50_000 + "]" * 50_001 + "}"
        ),
        "nested too deeply",
    ),
    "UTF-16 with a byte-order mark": (
        writes(GOOD_JSON.encode("utf-16")),
        "UTF-16 text; save it as UTF-8",
    ),
    "UTF-16 without a byte-order mark": (writes(GOOD_JSON.encode("utf-16-le")), "NUL bytes"),
    "Latin-1 bytes": (
        writes(GOOD_JSON.replace("Assessment North", "Équipe").encode("latin-1")),
        "not UTF-8 text: byte 0xc9 on line 1",
    ),
    "binary garbage": (writes(bytes(range(256)) * 40), "NUL bytes on line 1"),
    "binary garbage without NUL": (writes(bytes(range(128, 256)) * 40), "not UTF-8 text"),
    "an empty file": (writes(b""), "the file is empty"),
    "only whitespace": (writes(b" \n\t\n"), "the file is empty"),
    "a JSON array": (writes("[1, 2]"), "a JSON object with a 'format' member, not an array"),
    "a JSON number": (writes("42"), "not a number"),
    "a JSON string": (writes('"meetings"'), "not a string"),
    "JSON null": (writes("null"), "not null"),
    "no format member": (writes('{"meetings": []}'), "'format' member must be"),
    "a format that is not text": (writes('{"format": [1, 2]}'), "found [1, 2]"),
    "unknown top-level members": (
        writes('{"format": "actiontrail-import/1", "people": [], "children": []}'),
        "unknown members 'children', 'people'",
    ),
    "a section that is not an array": (
        writes('{"format": "actiontrail-import/1", "meetings": {"ref": "M1"}}'),
        "'meetings' must be an array of rows, not an object",
    ),
    "a member named twice": (
        writes('{"format": "actiontrail-import/1", "meetings": [], "meetings": []}'),
        "'meetings' appears twice",
    ),
    "a number of 5,000 digits": (
        writes(
            '{"format": "actiontrail-import/1", "recommendations": [{"number": '
            + "9" * 5000
            + "}]}"
        ),
        "limit (4300 digits)",
    ),
    "a number too large for a float": (
        writes('{"format": "actiontrail-import/1", "x": 1e400}'),
        "'1e400' is out of range",
    ),
    "NaN": (writes('{"format": "actiontrail-import/1", "meetings": [NaN]}'), "NaN is not"),
    "Infinity": (writes('{"format": "actiontrail-import/1", "x": -Infinity}'), "-Infinity"),
    "truncated JSON": (writes(GOOD_JSON[:-40]), "not valid JSON"),
    "an empty CSV": (writes(b"", "m.csv"), "the file is empty"),
    "CSV without a header": (
        writes("LL-1,CASE-1,03/07/2023,child-protection,North\n", "m.csv"),
        "CSV columns: unknown",
    ),
    "CSV with wrong columns": (
        writes("Meeting Ref,Child Name,Date Of Birth\nLL-1,X,Y\n", "m.csv"),
        "missing ['case_ref', 'concern_raised', 'kind', 'team']",
    ),
    "CSV naming a column twice": (
        writes("Meeting Ref,Case Ref,Concern Raised,Kind,Team,Case ref\n", "m.csv"),
        "named more than once: ['case_ref']",
    ),
    "CSV with NUL bytes": (
        writes((HEADER + "LL-1,CA\x00SE,03/07/2023,other,North\n").encode(), "m.csv"),
        "NUL bytes on line 2",
    ),
    "CSV with a field over the csv module's limit": (
        writes(HEADER + 'LL-1,"' + "x" * 200_000 + '",03/07/2023,other,North\n', "m.csv"),
        "CSV line 2: field larger than field limit",
    ),
    "CSV in UTF-16": (writes(HEADER.encode("utf-16"), "m.csv"), "UTF-16"),
    "a directory": (directory, "is a directory, not a file"),
    "a missing file": (lambda parent: parent / "missing.json", "no such file"),
    "a named pipe": (fifo, "is not a regular file"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_file_is_one_clear_error_and_exit_3(
    run: Run, governance: str, tmp_path: Path, case: str
) -> None:
    make, message = MALFORMED[case]
    path = make(tmp_path)

    result = run("import", str(path), token=governance)

    assert result.code == 3, result.err
    assert result.out == ""
    assert result.err.startswith(f"error: {path}: ")
    assert result.err.count("\n") == 1, result.err
    assert message in result.err


@pytest.mark.parametrize(
    ("content", "row_errors"),
    [
        ('{"format": "actiontrail-import/1", "meetings": [1, "M2", null, []]}', 4),
        (HEADER + "LL-1,CASE-1,03/07/2023,other\nLL-2,CASE-2,03/07/2023,other,North,extra\n", 2),
    ],
    ids=["rows that are not objects", "CSV rows of the wrong length"],
)
def test_rows_of_the_wrong_kind_are_row_errors(
    run: Run, governance: str, tmp_path: Path, content: str, row_errors: int
) -> None:
    path = tmp_path / ("bad.csv" if content.startswith("Meeting") else "bad.json")
    path.write_text(content)

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    report = result.json()
    assert report["written"] is False
    assert len({e["row"] for e in report["errors"]}) == row_errors


def test_csv_rows_of_the_wrong_length_say_how_many_fields(
    run: Run, governance: str, tmp_path: Path
) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(HEADER + "LL-1,CASE-1,03/07/2023,other,North\nLL-2,CASE-2,03/07/2023\n")

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 3
    (error,) = result.json()["errors"]
    assert (error["row"], error["field"]) == (3, "row")
    assert error["message"] == "the line has 3 fields; the header has 5"


def test_a_utf8_byte_order_mark_is_accepted(run: Run, governance: str, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_JSON.encode())

    result = run("import", str(path), "--json", token=governance)

    assert result.code == 0, result.err
    assert result.json()["created"] == {"meetings": 1}


def test_an_unreadable_file_is_refused(
    run: Run, governance: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.json"
    path.write_text(GOOD_JSON)

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)  # root reads any file whatever its mode

    result = run("import", str(path), token=governance)

    assert result.code == 3
    assert result.err == f"error: {path}: cannot be read: Permission denied\n"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    run: Run, governance: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "large.json"
    path.write_text(GOOD_JSON + " " * 1024 * 1024)

    result = run("import", str(path), token=governance)

    assert result.code == 3
    assert "is 1.0 MiB; the limit is 1 MiB" in result.err


def test_a_file_of_more_commands_than_a_part_is_checked_whole_then_written_in_parts(
    run: Run, governance: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTIONTRAIL_IMPORT_PART_COMMANDS", "15")
    rehearsals: list[object] = []
    build = importing.build_memory_application
    monkeypatch.setattr(
        importing, "build_memory_application", lambda s: rehearsals.append(s) or build(s)
    )
    rows = [meeting_row(f"M{n}") for n in range(1, 4)]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(import_document(meetings=[*rows, meeting_row("M4", kind="x")])))
    path = tmp_path / "many.json"
    path.write_text(json.dumps(import_document(meetings=rows)))

    refused = run("import", str(bad), "--json", token=governance)
    status = run("projections", "status", "--json", token=governance)
    rehearsals.clear()
    result = run("import", str(path), "--json", token=governance)
    rehearsed = len(rehearsals)
    again = run("import", str(path), token=governance)

    assert refused.code == 3  # every part checked before any is written
    ((row, field),) = [(e["row"], e["field"]) for e in refused.json()["errors"]]
    assert (row, field) == (4, "kind")
    assert status.json()["projections"][0]["head"] == 0
    assert result.code == 0, result.err
    summary = result.json()
    assert (summary["parts"], summary["created"]) == (3, {"meetings": 3})
    assert rehearsed == 3 * 2  # a memory application of its own per part, in each pass
    assert again.code == 0
    assert "written in 3 parts of at most that many, each all or nothing" in again.out
    assert "Already imported before, unchanged: 3 meetings." in again.out
