"""Our recorders read exactly the notifications the library's own recorders read."""

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from application.service import ActionTrail
from domain.codes import MeetingKind, Role
from domain.events import Envelope
from domain.meeting import StrategyMeeting
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.storage.fastpaths.postgres import PostgresLeanRecorder
from infrastructure.storage.fastpaths.sqlite import SQLiteLeanRecorder, uuid_from_hex
from infrastructure.storage.recorders import PostgresRecorder, SQLiteRecorder
from tests.builders import SAMPLES, library_select
from tests.conftest import drop_schema, make_settings

QUERIES: list[dict[str, Any]] = [
    {"start": None, "limit": 1000},
    {"start": 1, "limit": 1000},
    {"start": 5, "limit": 7},
    {"start": 5, "limit": 7, "inclusive_of_start": False},
    {"start": 3, "limit": 1000, "stop": 20},
    {"start": None, "limit": 1000, "stop": 9},
    {"start": 2, "limit": 1000, "topics": [StrategyMeeting.Held.TOPIC]},
    {
        "start": 4,
        "limit": 5,
        "stop": 40,
        "topics": [StrategyMeeting.Held.TOPIC, StrategyMeeting.Requested.TOPIC],
        "inclusive_of_start": False,
    },
    {"start": 10_000, "limit": 10},
]


@pytest.fixture
def lean_app(store: str, tmp_path: Path) -> Iterator[ActionTrail]:
    """The application on the lean recorders, whatever ``ACTIONTRAIL_FAST_PATHS`` says."""
    settings = make_settings(store, tmp_path, fast_paths=True)
    app = build_application(settings)
    yield app
    app.close()
    drop_schema(settings)


def test_select_notifications_equals_the_library(lean_app: ActionTrail) -> None:
    app = lean_app
    app.save(*(build(n) for n in range(3) for build in SAMPLES))
    assert isinstance(app.recorder, SQLiteLeanRecorder | PostgresLeanRecorder)
    for query in QUERIES:
        ours = list(app.recorder.select_notifications(**query))
        theirs = list(library_select(app.recorder)(**query))
        assert ours == theirs, query
        assert [n.__dict__ for n in ours] == [n.__dict__ for n in theirs]
        assert [type(n.originator_id) for n in ours] == [type(n.originator_id) for n in theirs]
    assert len(app.recorder.select_notifications(start=None, limit=1000)) == app.head()


@pytest.mark.parametrize(
    "text", ["0123456789abcdef0123456789abcdef", "01234567-89ab-cdef-0123-456789abcdef"]
)
def test_uuid_from_hex_equals_uuid(text: str) -> None:
    import uuid

    made = uuid_from_hex(text)
    assert made == uuid.UUID(text)
    assert hash(made) == hash(uuid.UUID(text))
    assert made.is_safe == uuid.UUID(text).is_safe
    assert str(made) == str(uuid.UUID(text))


def test_notifications_at_positions_equal_those_read_in_order(stored_app: ActionTrail) -> None:
    stored_app.save(*(build(n) for n in range(3) for build in SAMPLES))
    assert isinstance(stored_app.recorder, SQLiteRecorder | PostgresRecorder)
    every = list(stored_app.recorder.select_notifications(start=None, limit=1000))
    wanted = [every[7].id, every[1].id, every[-1].id, 10_000]
    ours = stored_app.recorder.notifications_at(wanted)
    assert ours == [every[1], every[7], every[-1]]
    assert [n.__dict__ for n in ours] == [every[1].__dict__, every[7].__dict__, every[-1].__dict__]
    assert stored_app.recorder.notifications_at([]) == []


def test_a_save_of_many_events_is_written_whole_and_does_not_hang(stored_app: ActionTrail) -> None:
    """25,000 events in one save: on PostgreSQL the library's pipelined insert never returned."""
    meetings = [
        StrategyMeeting.request(
            id=uuid.uuid4(),
            case_ref=f"CASE-{n}",
            concern_raised_at=datetime(2023, 6, 1, tzinfo=UTC),
            kind=MeetingKind.OTHER,
            team="North",
            by=Envelope(Actor("u", Role.GOVERNANCE), f"c-{n}"),
        )
        for n in range(25_000)
    ]
    saved: list[int] = []
    writer = threading.Thread(
        target=lambda: saved.extend(r.notification.id for r in stored_app.save(*meetings)),
        daemon=True,
    )

    writer.start()
    writer.join(timeout=120)

    assert not writer.is_alive(), "the save hung"
    assert saved == list(range(1, 25_001))
    assert stored_app.head() == 25_000


def started_together(settings: Settings, count: int) -> list[BaseException]:
    """What stopped any of ``count`` applications built at the same moment."""
    starting = threading.Barrier(count)
    problems: list[BaseException] = []

    def start() -> None:
        starting.wait()
        try:
            build_application(settings).close()
        except BaseException as error:
            problems.append(error)

    threads = [threading.Thread(target=start) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return problems


def test_processes_that_start_together_create_the_log_once(store: str, tmp_path: Path) -> None:
    """Applications built at the same moment on a fresh store all start (a rebuild's workers,
    the server beside the CLI), rather than one failing on the others' half-made schema."""
    for attempt in range(3):
        (tmp_path / str(attempt)).mkdir()
        settings = make_settings(store, tmp_path / str(attempt))
        try:
            assert started_together(settings, 6) == []
        finally:
            drop_schema(settings)
