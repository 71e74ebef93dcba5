"""The hash chain's cost (issue 24), each beside a baseline from the same run and store:

- the command path (``ActionTrail.execute`` of a progress note, p50) with the chain, beside the
  same commands with the recorder's linking switched off (``Unchained``);
- a bulk import (``importer.write`` of a generated file into a fresh store), the same way;
- ``actiontrail verify``'s rate over the large log, beside reading the same stored rows with
  the driver and hashing each event's stored state with ``hashlib`` alone, and beside that
  hashing alone (the time spent in ``hashlib``, the rows already read).

- a pack for a year (``Packs.make``: the reports as of the log's last day, as known at its
  last recorded time, drawn into a PDF) at the checkpoint made for it beforehand (untimed).

Goals: the chain costs at most 10% (ratio >= 1/1.1), verify at least half the baseline's rate,
a pack for a year within 10 s.
"""

import hashlib
import itertools
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

from application import commands as c
from application.queries import PackQuery
from application.service import ActionTrail
from benchmarks.harness import (
    Row,
    Store,
    fresh_store,
    latencies_ms,
    median,
    progress,
    rate_row,
    seconds,
    time_row,
)
from benchmarks.log import Summary
from benchmarks.measures.commands import NOTE, open_actions
from domain.clock import london_date
from infrastructure.bootstrap import EVENTS_TABLE, Services, build_application
from infrastructure.config import Settings
from infrastructure.importing import importer
from infrastructure.integrity.postgres import PostgresChain
from infrastructure.integrity.service import Integrity
from infrastructure.storage.database import postgres_conninfo
from infrastructure.storage.memory_store import build_memory_application
from tests.builders import ACTOR, write_import_file

#: At most 10% slower than the same without the chain.
COST_GOAL = round(1 / 1.1, 3)
#: Verification at least half as fast as hashing the same stored bytes.
VERIFY_GOAL = 0.5
#: A pack for a year within 10 s (ms).
PACK_GOAL = 10_000.0
BATCH = 10_000
#: Blocks a repetition of the command path alternates between with and without the chain.
BLOCKS = 5
#: Imports with and without the chain, each (one import is a fraction of a second).
IMPORTS = 7


class Unchained:
    """Stands in for a recorder's ``chain`` where it links events: links nothing."""

    def after_insert(self, *args: Any) -> None:
        pass

    def link_written(self, *args: Any) -> None:
        pass


@contextmanager
def unchained(app: ActionTrail, heal: bool = True) -> Iterator[None]:
    """The application's writes without links (on PostgreSQL with the library's own insert
    statement, without the chain's ``RETURNING``); afterwards (``heal``, untimed) the events
    written meanwhile are chained, as any writer would, so the next chained write links only
    its own."""
    recorder: Any = app.recorder
    chain = recorder.chain
    statement = getattr(recorder, "insert_events_statement", None)
    recorder.chain = Unchained()
    if isinstance(chain, PostgresChain):
        parts = list(statement)[: -len(list(chain.returning_head))]
        recorder.insert_events_statement = Composed(parts)
    try:
        yield
    finally:
        recorder.chain = chain
        if statement is not None:
            recorder.insert_events_statement = statement
    if heal:
        chain.heal()


def command_cost(
    store: str, app: ActionTrail, ids: list[UUID], count: int, repeat: int
) -> list[Row]:
    """The command path with and without the chain: each repetition alternates the two in
    ``BLOCKS`` blocks (which goes first alternating too), so that both see the same load of a
    shared machine; the p50 of each repetition's samples, the median over repetitions."""
    progress(f"{store}: the chain on the command path, {count} commands x {repeat} x 2")
    targets = itertools.cycle(open_actions(app, ids))

    def execute() -> None:
        app.execute(c.NoteProgress(action_id=next(targets), note=NOTE), ACTOR)

    chained: list[float] = []
    plain: list[float] = []
    for _ in range(repeat):
        samples: dict[bool, list[float]] = {True: [], False: []}
        for block in range(BLOCKS):
            for with_chain in (True, False) if block % 2 else (False, True):
                with nullcontext() if with_chain else unchained(app):
                    samples[with_chain] += latencies_ms(execute, max(count // BLOCKS, 1))
        chained.append(median(samples[True]))
        plain.append(median(samples[False]))
    return [
        time_row(
            "chain on the command path, in-process (p50)",
            store,
            median(chained),
            median(plain),
            "the same without the chain",
            goal=COST_GOAL,
            goal_on="ratio",
        )
    ]


def _import_rate(store: Store, path: Path, with_chain: bool) -> float:
    with fresh_store(store) as settings:
        app = build_application(settings)
        try:
            rehearsal = build_memory_application(settings)
            parsed = importer.parse(importer.read_file(path), ACTOR, rehearsal)
            written = 0

            def run() -> None:
                nonlocal written
                written = importer.write(app, ACTOR, parsed.rows).events_written

            with nullcontext() if with_chain else unchained(app, heal=False):
                elapsed = seconds(run)
            return written / elapsed
        finally:
            app.close()


def import_cost(store: Store, meetings: int, repeat: int) -> list[Row]:
    """A bulk import with and without the chain, each into a fresh store."""
    progress(
        f"{store}: the chain on a bulk import, {meetings} meetings x {max(repeat, IMPORTS)} x 2"
    )
    chained: list[float] = []
    plain: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-chain-") as directory:
        path = write_import_file(Path(directory) / "import.json", meetings)
        for repetition in range(max(repeat, IMPORTS)):
            for with_chain in (True, False) if repetition % 2 else (False, True):
                (chained if with_chain else plain).append(_import_rate(store, path, with_chain))
    return [
        rate_row(
            f"chain on a bulk import in-process, {meetings * 14:,} events",
            store,
            median(chained),
            median(plain),
            "the same without the chain",
            COST_GOAL,
        )
    ]


def _sqlite_batches(settings: Settings) -> Iterator[list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(settings.sqlite_path)) as conn:
        after = 0
        while True:
            rows = conn.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                "FROM stored_events WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (after, BATCH),
            ).fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]


def _postgres_batches(settings: Settings) -> Iterator[list[tuple[Any, ...]]]:
    statement = SQL(
        "SELECT notification_id, uuid_send(originator_id), originator_version, topic, state "
        "FROM {}.{} "
        "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    ).format(Identifier(settings.database_schema), Identifier(EVENTS_TABLE))
    with (
        psycopg.connect(postgres_conninfo(settings)) as conn,
        conn.cursor(row_factory=tuple_row, binary=True) as cursor,
    ):
        after = 0
        while True:
            cursor.execute(statement, (after, BATCH))
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]


def hashed(settings: Settings) -> tuple[int, float, float]:
    """The raw baseline: every stored row read with the driver (as verify reads it: ids as
    bytes or text, never as ``UUID`` objects) and its state hashed with ``hashlib.sha256``:
    events, seconds in all, seconds in ``hashlib`` alone."""
    batches = (
        _sqlite_batches(settings) if settings.store == "sqlite" else _postgres_batches(settings)
    )
    sha256 = hashlib.sha256
    events = 0
    hashing = 0.0
    started = time.perf_counter()
    for rows in batches:
        states = [row[4] for row in rows]
        began = time.perf_counter()
        for state in states:
            sha256(state).digest()
        hashing += time.perf_counter() - began
        events += len(rows)
    return events, time.perf_counter() - started, hashing


def verify_rate(store: str, settings: Settings, repeat: int) -> list[Row]:
    """``verify`` over the whole log, beside the raw read and hash of the same stored bytes."""
    app = build_application(settings)
    try:
        integrity = Integrity(settings, app)
        verify: list[float] = []
        raw: list[float] = []
        alone: list[float] = []
        events = 0
        for _ in range(repeat):
            started = time.perf_counter()
            report = integrity.verify()
            elapsed = time.perf_counter() - started
            assert report.status == "ok", report.first_mismatch
            verify.append(report.verified_to / elapsed)
            events, total, hashing = hashed(settings)
            raw.append(events / total)
            alone.append(events / hashing)
    finally:
        app.close()
    progress(f"{store}: verify {median(verify):,.0f} ev/s; raw {median(raw):,.0f} ev/s")
    size = f"{events:,} events"
    return [
        rate_row(
            f"verify, {size}",
            store,
            median(verify),
            median(raw),
            "driver read + `hashlib.sha256` of each state",
            VERIFY_GOAL,
        ),
        rate_row(
            f"verify, {size} (beside hashing alone)",
            store,
            median(verify),
            median(alone),
            "`hashlib.sha256` of each state, rows already read",
            VERIFY_GOAL,
        ),
    ]


def pack_time(store: str, services: Services, summary: Summary, repeat: int) -> list[Row]:
    """A pack for the year to the log's last day, as known at its last recorded time; the
    read models at the head and the checkpoint covering it made first (both untimed)."""
    assert summary.last is not None
    query = PackQuery(as_of=london_date(summary.last), known_at=summary.last)
    services.read.sync()
    services.integrity.checkpoint()
    times: list[float] = []
    made = None
    for _ in range(repeat):
        started = time.perf_counter()
        made = services.packs.make(query)
        times.append((time.perf_counter() - started) * 1000)
    assert made is not None
    pages = made.pdf.count(b"/Type /Page\n") or made.pdf.count(b"/Type /Page")
    progress(
        f"{store}: a pack for a year: {median(times) / 1000:.2f} s, {len(made.pdf):,} bytes, "
        f"about {pages} pages"
    )
    return [
        time_row(
            f"pack for a year (PDF), {summary.events:,} events",
            store,
            median(times),
            goal=PACK_GOAL,
            note=f"{len(made.pdf):,} bytes",
        )
    ]


def measure(
    store: str,
    settings: Settings,
    services: Services,
    summary: Summary,
    count: int,
    repeat: int,
) -> list[Row]:
    """The measures on the large log: the command path, verify and a pack for a year."""
    rows = command_cost(store, services.trail, summary.action_ids, count, repeat)
    progress(f"{store}: verify x {repeat}")
    rows += verify_rate(store, settings, repeat)
    progress(f"{store}: a pack for a year x {repeat}")
    return rows + pack_time(store, services, summary, repeat)
