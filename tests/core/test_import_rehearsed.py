"""A new file is written from its rehearsal (its events saved as rehearsed); a file stored
before, in part or in full, runs its commands again against the log. Both write the same."""

import json
from pathlib import Path
from typing import Any

import pytest

from application.service import ActionTrail
from domain.events import TrailAggregate
from domain.values import Actor
from infrastructure.importing import importer
from infrastructure.storage.memory_store import build_memory_application
from tests.builders import EVENTS_PER_MEETING, import_document


@pytest.fixture
def app(stored_app: ActionTrail) -> ActionTrail:
    """The application on each store (the existence check and the save are the store's)."""
    return stored_app


def parsed(document: dict[str, Any], tmp_path: Path, actor: Actor) -> list[importer.ParsedRow]:
    path = tmp_path / "import.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = importer.parse(importer.read_file(path), actor, build_memory_application())
    assert not result.errors
    return result.rows


def stored(app: ActionTrail) -> list[tuple[Any, ...]]:
    """Every event of the log, in order, as what it says (less when it was recorded)."""
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    events = [app.mapper.to_domain_event(n) for n in notifications]
    return [
        (e.originator_id, e.originator_version, e.type_name(), e.actor, e.command_id, e.data())
        for e in events
        if isinstance(e, TrailAggregate.Event)
    ]


def test_a_new_file_saves_its_rehearsal_and_writes_what_running_it_again_writes(
    app: ActionTrail, governance: Actor, tmp_path: Path
) -> None:
    rows = parsed(import_document(6), tmp_path, governance)
    assert all(row.rehearsed is not None for row in rows)
    saved = importer.write(app, governance, rows)
    again = build_memory_application()
    for row in rows:
        row.rehearsed = None  # run every command against the log, as before
    run = importer.write(again, governance, rows)
    assert (saved.created, saved.unchanged, saved.events_written) == (
        run.created,
        run.unchanged,
        run.events_written,
    )
    assert saved.events_written == 6 * EVENTS_PER_MEETING
    assert stored(app) == stored(again)


def test_a_file_stored_in_part_writes_only_its_new_rows(
    app: ActionTrail, governance: Actor, tmp_path: Path
) -> None:
    importer.write(app, governance, parsed(import_document(2), tmp_path, governance))
    before = stored(app)
    outcome = importer.write(app, governance, parsed(import_document(5), tmp_path, governance))
    assert outcome.created == {"meetings": 3}
    assert outcome.unchanged == {"meetings": 2}
    assert outcome.events_written == 3 * EVENTS_PER_MEETING
    assert stored(app)[: len(before)] == before


def test_two_rows_that_make_the_same_record_are_run_against_the_log(
    app: ActionTrail, governance: Actor, tmp_path: Path
) -> None:
    """Rows of two parses of one file (a file's own rows never share a ref)."""
    rows = [*parsed(import_document(1), tmp_path, governance)] * 2
    outcome = importer.write(app, governance, rows)
    assert outcome.created == {"meetings": 1}
    assert outcome.unchanged == {"meetings": 1}
    assert outcome.events_written == EVENTS_PER_MEETING


def test_a_file_another_writer_stored_meanwhile_writes_nothing(
    app: ActionTrail, governance: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = parsed(import_document(3), tmp_path, governance)
    importer.write(app, governance, parsed(import_document(3), tmp_path, governance))
    head = app.head()
    monkeypatch.setattr(app, "stored_among", lambda ids: set())  # checked before they landed
    outcome = importer.write(app, governance, rows)
    assert outcome.events_written == 0
    assert outcome.unchanged == {"meetings": 3}
    assert app.head() == head
