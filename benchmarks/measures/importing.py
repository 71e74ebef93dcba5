"""Bulk import: ``actiontrail import`` (a process, and the same work in-process) beside the
raw library saving the same events in batches (a process, and in-process), each on a fresh
store."""

import json
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness import Row, Store, fresh_store, median, progress, rate_row, seconds
from benchmarks.measures.child import SAVE_BATCH
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.importing import importer
from infrastructure.storage.memory_store import build_memory_application
from tests.builders import ACTOR, library_select, write_import_file
from tests.e2e.processes import add_user, cli, process_env

#: Goal of issue 12: at least 0.8 of the raw library's rate.
GOAL = 0.8


def import_process(settings: Settings, path: Path) -> float:
    """``actiontrail import FILE`` as a process: events written a second, whole process."""
    env = process_env(settings)
    token = add_user(env, "Bench", "governance")
    written = 0

    def run() -> None:
        nonlocal written
        result = cli(env, "import", str(path), "--json", f"--token={token}")
        assert result.returncode == 0, result.stderr
        written = json.loads(result.stdout)["events_written"]

    elapsed = seconds(run)
    return written / elapsed


def import_in_process(settings: Settings, path: Path) -> tuple[float, list[Any]]:
    """The import's own work (read, check and rehearse in memory, write): its rate, and the
    domain events it wrote (for the raw baseline)."""
    app = build_application(settings)
    try:
        written = 0

        def run() -> None:
            nonlocal written
            rehearsal = build_memory_application(settings)
            parsed = importer.parse(importer.read_file(path), ACTOR, rehearsal)
            written = importer.write(app, ACTOR, parsed.rows).events_written

        elapsed = seconds(run)
        rate = written / elapsed
        notifications = library_select(app.recorder)(start=0, limit=10 * written + 10)
        return rate, [app.mapper.to_domain_event(n) for n in notifications]
    finally:
        app.close()


def raw_in_process(settings: Settings, events: list[Any]) -> float:
    app = build_application(settings)
    try:

        def run() -> None:
            for start in range(0, len(events), SAVE_BATCH):
                app.save(*events[start : start + SAVE_BATCH])

        return len(events) / seconds(run)
    finally:
        app.close()


def raw_process(settings: Settings, pickled: Path, count: int) -> float:
    """The raw save as a process of its own: events a second, whole process."""
    command = [sys.executable, "-m", "benchmarks.measures.child", "save", str(pickled)]
    env = process_env(settings)
    return count / seconds(
        lambda: subprocess.run(command, env=env, check=True, capture_output=True)
    )


def on_fresh(store: Store, repeat: int, work: Callable[[Settings], float]) -> float:
    rates = []
    for _ in range(repeat):
        with fresh_store(store) as settings:
            rates.append(work(settings))
    return median(rates)


def measure(store: Store, meetings: int, repeat: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as directory:
        path = write_import_file(Path(directory) / "import.json", meetings)
        progress(f"{store}: import in-process, {meetings} meetings")
        runs = []
        for _ in range(repeat):
            with fresh_store(store) as settings:
                runs.append(import_in_process(settings, path))
        in_process = median([rate for rate, _ in runs])
        events = runs[0][1]
        pickled = Path(directory) / "events.pickle"
        pickled.write_bytes(pickle.dumps(events))
        progress(f"{store}: raw save in-process, {len(events)} events")
        raw = on_fresh(store, repeat, lambda s: raw_in_process(s, events))
        progress(f"{store}: actiontrail import, a process")
        process = on_fresh(store, repeat, lambda s: import_process(s, path))
        progress(f"{store}: raw save, a process")
        raw_whole = on_fresh(store, repeat, lambda s: raw_process(s, pickled, len(events)))
    size = f"{len(events):,} events"
    return [
        rate_row(
            f"bulk import, `actiontrail import` process, {size}",
            store,
            process,
            raw_whole,
            "raw save, a process",
            GOAL,
        ),
        rate_row(
            f"bulk import in-process, {size}", store, in_process, raw, "raw save in-process", GOAL
        ),
    ]
