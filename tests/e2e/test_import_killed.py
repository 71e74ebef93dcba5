"""``actiontrail import`` killed (SIGKILL) while it writes leaves none of the file, never a part.

The import runs as a process of its own on a file of 1,500 meetings (21,000 events); the test
kills it while it writes and finds none or all of its events in the log (an import written
command by command left some). Importing again writes the rest, and a third time nothing.
"""

import json
import signal
import sqlite3
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.storage.database import postgres_conninfo
from tests.builders import EVENTS_PER_MEETING, write_import_file
from tests.e2e.processes import add_user, cli, process_env, start

MEETINGS = 1_500
EVENTS = MEETINGS * EVENTS_PER_MEETING
WRITE_WAIT_SECONDS = 300
#: The import is killed once it has held the log's write lock this long (signing in writes
#: too, briefly), or as soon as any event of it is in the log.
WRITING_SECONDS = 0.05


def writing_and_head(settings: Settings) -> tuple[bool, int]:
    """Whether a transaction holds the log's write lock right now, and the log's head."""
    if settings.store == "sqlite":
        connection = sqlite3.connect(settings.sqlite_path, timeout=0, isolation_level=None)
        try:
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
                writing = False
            except sqlite3.OperationalError:
                writing = True
            try:
                (position,) = connection.execute("SELECT max(rowid) FROM stored_events").fetchone()
            except sqlite3.OperationalError:  # no log yet
                position = None
            return writing, position or 0
        finally:
            connection.close()
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        (locks,) = conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = 'actiontrail_events' "
            "AND l.mode = 'ExclusiveLock' AND l.granted",
            (settings.database_schema,),
        ).fetchone() or (0,)
        table = conn.execute(
            "SELECT to_regclass(%s)", (f'"{settings.database_schema}".actiontrail_events',)
        ).fetchone()
        position = None
        if table and table[0]:
            query = sql.SQL("SELECT max(notification_id) FROM {}.actiontrail_events")
            (position,) = conn.execute(
                query.format(sql.Identifier(settings.database_schema))
            ).fetchone() or (None,)
        return bool(locks), position or 0


def stored(settings: Settings) -> int:
    """How many events the log holds (not its head: on PostgreSQL a killed write leaves a gap
    in the positions, as the sequence does not give back the numbers it handed out)."""
    app = build_application(settings)
    try:
        return len(app.recorder.select_notifications(start=None, limit=10 * EVENTS))
    finally:
        app.close()


def kill_while_writing(settings: Settings, argv: list[str], log: Path) -> None:
    """Kill the import once it has written to the log for a while, or committed anything."""
    process = start(process_env(settings), argv, log)
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    writing_since: float | None = None
    try:
        while True:
            assert process.poll() is None, f"the import ended first: {log.read_text()}"
            assert time.monotonic() < deadline, "the import never started writing"
            writing, position = writing_and_head(settings)
            now = time.monotonic()
            writing_since = (writing_since or now) if writing else None
            if position > 0 or (writing_since and now - writing_since >= WRITING_SECONDS):
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_an_import_killed_while_writing_leaves_nothing_and_a_rerun_completes_it(
    settings: Settings, tmp_path: Path
) -> None:
    env = process_env(settings)
    token = add_user(env, "Gill", "governance")
    path = write_import_file(tmp_path / "large.json", MEETINGS)
    argv = ["import", str(path), "--json", f"--token={token}"]

    kill_while_writing(settings, argv, tmp_path / "killed.log")

    left = stored(settings)
    assert left in (0, EVENTS)  # 21,000 only if the kill came just after the commit
    rerun = cli(env, *argv)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["events_written"] == EVENTS - left
    assert stored(settings) == EVENTS
    third = cli(env, *argv)
    assert third.returncode == 0, third.stderr
    assert json.loads(third.stdout)["events_written"] == 0
    assert json.loads(third.stdout)["unchanged"] == {"meetings": MEETINGS}
    assert stored(settings) == EVENTS
