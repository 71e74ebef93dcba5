"""Every writer links every event it stores, in the event's own transaction, on both stores:
commands, batches, bulk saves, imports, writers in parallel; over sealed bytes; from where an
older log stood."""

import shutil
import threading
from pathlib import Path

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import IntegrityError
from pydantic import SecretStr

from application import commands as c
from application.batch import CommandBatch
from domain.codes import MeetingKind
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.integrity.service import Integrity
from tests.builders import SAMPLES, held_meeting, write_import_file
from tests.compat.stored import load
from tests.conftest import drop_schema, make_settings
from tests.e2e.processes import add_user, cli, process_env
from tests.integrity.tamper import Tamper, documented_chain

COMPAT = Path(__file__).resolve().parent.parent / "compat"
#: The chain's value after the 0.2 fixture's last event, whichever the store.
FIXTURE_HEAD = "c6a0b7eef32c6fe28b0b2f0ec5bb19e228fc8eda5644655f9ea6ba84dd12a85f"


def linked_as_documented(settings: Settings) -> Tamper:
    """Every stored event has its link, as docs/integrity.md computes it."""
    tamper = Tamper(settings)
    events = tamper.stored_events()
    assert events
    assert tamper.stored_links() == documented_chain(events)
    return tamper


def verified_ok(settings: Settings) -> None:
    app = build_application(settings)
    try:
        report = Integrity(settings, app).verify()
        assert (report.status, report.verified_to) == ("ok", report.head), report
    finally:
        app.close()


def test_commands_batches_and_bulk_saves_are_linked(settings: Settings, governance: Actor) -> None:
    app = build_application(settings)
    try:
        held_meeting(app, governance)

        def work(batch: CommandBatch) -> None:
            for case in ("CASE-A", "CASE-B"):
                batch.run(
                    c.RequestMeeting(
                        case_ref=case,
                        concern_raised_at="2023-06-13T09:30:00+00:00",  # type: ignore[arg-type]
                        kind=MeetingKind.MISSING,
                        team="South",
                    )
                )

        app.execute_all(work, governance)
        app.save(*(build(n) for n in range(4) for build in SAMPLES))
    finally:
        app.close()
    linked_as_documented(settings)
    verified_ok(settings)


def test_an_import_is_linked_on_the_path_of_large_writes(
    settings: Settings, tmp_path: Path
) -> None:
    env = process_env(settings)
    token = add_user(env, "Importer", "governance")
    path = write_import_file(tmp_path / "import.json", 60)  # above PIPELINE_MAX_BYTES of state
    result = cli(env, "import", str(path), f"--token={token}")
    assert result.returncode == 0, result.stderr
    assert len(linked_as_documented(settings).stored_links()) == 60 * 14
    verified_ok(settings)


def test_a_refused_write_leaves_no_link_and_the_chain_passes_its_gap(settings: Settings) -> None:
    app = build_application(settings)
    try:
        first = SAMPLES[0](1)
        app.save(first)
        again = app.recorder.select_events(first.id, limit=1)
        with pytest.raises(IntegrityError):  # version 1 of that meeting is stored already
            app.recorder.insert_events(list(again))
        app.save(SAMPLES[1](2))
    finally:
        app.close()
    linked_as_documented(settings)
    verified_ok(settings)


def test_writers_in_parallel_keep_one_chain(settings: Settings) -> None:
    apps = [build_application(settings) for _ in range(3)]
    failures: list[BaseException] = []

    def write(app_index: int) -> None:
        try:
            for n in range(6):
                apps[app_index].save(*(build(100 * app_index + n) for build in SAMPLES))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(apps))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for app in apps:
            app.close()
    assert failures == []
    tamper = linked_as_documented(settings)
    assert len(tamper.stored_links()) == len(tamper.stored_events()) > 3 * 6 * 20
    verified_ok(settings)


def test_the_chain_covers_the_sealed_bytes_and_verifies_without_their_key(
    store: str, tmp_path: Path, governance: Actor
) -> None:
    settings = make_settings(store, tmp_path, cipher_key=AESCipher.create_key(32))
    try:
        app = build_application(settings)
        try:
            held_meeting(app, governance)
        finally:
            app.close()
        tamper = linked_as_documented(settings)
        assert all(b"police" not in state for *_, state in tamper.stored_events())
        destroyed = settings.model_copy(update={"cipher_key": None})
        verified_ok(destroyed)
        other_key = SecretStr(AESCipher.create_key(32))
        verified_ok(destroyed.model_copy(update={"cipher_key": other_key}))
    finally:
        drop_schema(settings)


def test_a_log_written_before_the_chain_is_chained_once_as_it_stood(settings: Settings) -> None:
    app = build_application(settings)
    try:
        app.save(*(build(n) for n in range(3) for build in SAMPLES))
    finally:
        app.close()
    tamper = Tamper(settings)
    tamper.run(f"DELETE FROM {tamper.chain}")
    tamper.run(f"DELETE FROM {tamper.log}")
    head = tamper.head()
    app = build_application(settings)  # a process of this version starts
    try:
        report = Integrity(settings, app).verify()
        record = app.recorder.chain.log_record()
    finally:
        app.close()
    assert record is not None
    assert record.backfilled_to == head
    assert (report.status, report.verified_to, report.backfilled_to) == ("ok", head, head)
    assert any(f"events 1 to {head} were written before the chain began" in n for n in report.notes)
    linked_as_documented(settings)


def test_the_chain_of_a_fixed_log_is_the_same_on_both_stores(
    settings: Settings, tmp_path: Path
) -> None:
    fixture = tmp_path / "events-0.2.db"
    shutil.copy(COMPAT / "events-0.2.db", fixture)  # a copy: a fixture is never written
    app = load(fixture, settings)
    try:
        heads = app.recorder.chain.heads()
        record = app.recorder.chain.log_record()
    finally:
        app.close()
    assert heads.chain is not None
    assert heads.chain.position == heads.events
    assert heads.chain.value.hex() == FIXTURE_HEAD
    assert record is not None
    # SQLite opens the fixture's own file, written before the chain; PostgreSQL writes it anew
    assert record.backfilled_to == (heads.events if settings.store == "sqlite" else 0)
    linked_as_documented(settings)


def test_events_copied_in_by_sql_are_chained_by_the_next_write(settings: Settings) -> None:
    app = build_application(settings)
    try:
        app.save(SAMPLES[0](1))
        before = app.head()
        copied = [app.mapper.to_stored_event(e) for e in SAMPLES[1](2).collect_events()]
        tamper = Tamper(settings)
        for event in copied:
            identity = event.originator_id.hex if tamper.sqlite else event.originator_id
            tamper.run(
                f"INSERT INTO {tamper.events} (originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?)",
                (identity, event.originator_version, event.topic, event.state),
            )
        report = Integrity(settings, app).verify()
        assert (report.status, report.verified_to, report.head) == (
            "ok",
            before,
            before + len(copied),
        )
        assert any(f"the events after position {before} have no chain" in n for n in report.notes)
        app.save(SAMPLES[2](3))
    finally:
        app.close()
    linked_as_documented(settings)
    verified_ok(settings)
