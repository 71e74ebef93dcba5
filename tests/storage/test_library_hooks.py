"""The eventsourcing methods our recorders override, unwrap or call though private keep the shape
they had when ``docs/decisions/0005-recorder-hooks.md`` listed them.

A release of the library that changes one fails here, before it changes what the recorders do
silently; the record says what each is used for. Two methods whose bodies our recorders repeat
(the PostgreSQL recorder's ``create_table`` and its insert's transaction) are pinned by their
source, not only their signature.
"""

import hashlib
import importlib
import inspect
from typing import Any

import pytest

from infrastructure.storage.fastpaths.postgres import PostgresLeanRecorder
from infrastructure.storage.fastpaths.sqlite import SQLiteLeanRecorder
from infrastructure.storage.memory_store import MemoryRecorder
from infrastructure.storage.recorders import PostgresRecorder, SQLiteRecorder

#: "module:Class.method" -> its signature (the library's annotations are strings).
SIGNATURES = {
    "eventsourcing.sqlite:SQLiteApplicationRecorder.__init__": (
        "(self, datastore: 'SQLiteDatastore', events_table_name: 'str' = 'stored_events')"
    ),
    "eventsourcing.sqlite:SQLiteApplicationRecorder.construct_create_table_statements": (
        "(self) -> 'list[str]'"
    ),
    "eventsourcing.sqlite:SQLiteRecorder.create_table": "(self) -> 'None'",
    "eventsourcing.sqlite:SQLiteApplicationRecorder._insert_events": (
        "(self, c: 'SQLiteCursor', stored_events: 'Sequence[StoredEvent]', **_: 'Any') "
        "-> 'Sequence[int] | None'"
    ),
    "eventsourcing.sqlite:SQLiteApplicationRecorder.select_notifications": (
        "(self, start: 'int | None', limit: 'int', stop: 'int | None' = None, "
        "topics: 'Sequence[str]' = (), *, inclusive_of_start: 'bool' = True) "
        "-> 'Sequence[Notification]'"
    ),
    "eventsourcing.postgres:PostgresApplicationRecorder.__init__": (
        "(self, datastore: 'PostgresDatastore', *, events_table_name: 'str' = 'stored_events')"
    ),
    "eventsourcing.postgres:PostgresRecorder.create_table": "(self) -> 'None'",
    "eventsourcing.postgres:PostgresRecorder._create_table": (
        "(self, curs: 'Cursor[DictRow]') -> 'None'"
    ),
    "eventsourcing.postgres:PostgresDatastore.register_type_adapters": "(self) -> 'None'",
    "eventsourcing.postgres:PostgresAggregateRecorder.select_events": (
        "(self, originator_id: 'UUID | str', *, gt: 'int | None' = None, "
        "lte: 'int | None' = None, desc: 'bool' = False, limit: 'int | None' = None) "
        "-> 'Sequence[StoredEvent]'"
    ),
    "eventsourcing.postgres:PostgresApplicationRecorder.select_notifications": (
        "(self, start: 'int | None', limit: 'int', stop: 'int | None' = None, "
        "topics: 'Sequence[str]' = (), *, inclusive_of_start: 'bool' = True) "
        "-> 'Sequence[Notification]'"
    ),
    "eventsourcing.postgres:PostgresApplicationRecorder.max_notification_id": (
        "(self) -> 'int | None'"
    ),
    "eventsourcing.postgres:PostgresApplicationRecorder.insert_events": (
        "(self, stored_events: 'Sequence[StoredEvent]', **kwargs: 'Any') -> 'Sequence[int] | None'"
    ),
    "eventsourcing.postgres:PostgresApplicationRecorder._insert_events": (
        "(self, curs: 'Cursor[DictRow]', stored_events: 'Sequence[StoredEvent]', **_: 'Any') "
        "-> 'None'"
    ),
    "eventsourcing.postgres:PostgresApplicationRecorder._fetch_ids_after_insert_events": (
        "(self, curs: 'Cursor[DictRow]', stored_events: 'Sequence[StoredEvent]', **_: 'Any') "
        "-> 'Sequence[int] | None'"
    ),
    "eventsourcing.postgres:PostgresApplicationRecorder._lock_table": (
        "(self, curs: 'Cursor[DictRow]') -> 'None'"
    ),
    "eventsourcing.postgres:PostgresApplicationRecorder._notify_channel": (
        "(self, curs: 'Cursor[DictRow]') -> 'None'"
    ),
    "eventsourcing.postgres:PostgresAggregateRecorder.construct_pg_stored_event": (
        "(self, originator_id: 'UUID | str', originator_version: 'int', topic: 'str', "
        "state: 'bytes') -> 'PgStoredEvent'"
    ),
    "eventsourcing.popo:POPOApplicationRecorder.__init__": "(self) -> 'None'",
    "eventsourcing.popo:POPOAggregateRecorder._insert_events": (
        "(self, stored_events: 'Sequence[StoredEvent]', **kwargs: 'Any') -> 'Sequence[int] | None'"
    ),
    "eventsourcing.application:Application._notify": (
        "(self, recordings: 'list[Recording[TAggregateID]]') -> 'None'"
    ),
}

#: The first 16 hex digits of the SHA-256 of the source of the methods whose bodies we repeat.
SOURCES = {
    "eventsourcing.postgres:PostgresRecorder.create_table": "112d77b968e2da3c",
    "eventsourcing.postgres:PostgresApplicationRecorder.insert_events": "f1a98da0239e3ea7",
}

OURS = (SQLiteRecorder, SQLiteLeanRecorder, PostgresRecorder, PostgresLeanRecorder, MemoryRecorder)


def library_method(name: str) -> Any:
    """The library's function ``name`` ("module:Class.method"), unwrapped of its decorators."""
    module, qualified = name.split(":")
    class_name, method = qualified.split(".")
    owner = getattr(importlib.import_module(module), class_name)
    assert method in vars(owner), f"{name} is no longer defined there"
    return inspect.unwrap(vars(owner)[method])


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_a_library_method_we_rely_on_keeps_its_signature(name: str) -> None:
    assert str(inspect.signature(library_method(name))) == SIGNATURES[name]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_library_method_whose_body_we_repeat_is_unchanged(name: str) -> None:
    source = inspect.getsource(library_method(name))
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == SOURCES[name]


def test_every_library_method_our_recorders_override_is_listed() -> None:
    listed = {name.split(":")[1].split(".")[1] for name in SIGNATURES}
    unlisted = [
        f"{ours.__name__}.{method}"
        for ours in OURS
        for method in vars(ours)
        if callable(vars(ours)[method])
        and not (method.startswith("__") and method != "__init__")
        and any(
            method in vars(base)
            for base in ours.__mro__
            if base.__module__.startswith("eventsourcing")
        )
        and method not in listed
    ]
    assert unlisted == []
