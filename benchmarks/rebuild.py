"""Rebuild speed: events per second for a full rebuild, beside the raw read-and-decode rate.

Writes a synthetic log of about N events (strategy meetings, actions, recommendations, saved in
bulk straight through the application, each aggregate's events interleaved with those of about
``--spread`` others as in a real log), then times, on each store:

- raw: the library's own ``select_notifications`` in batches plus its
  ``mapper.to_domain_event`` for every event;
- rebuild: ``ProjectionRunner.rebuild()`` of every projection.

Usage: ``.venv/bin/python -m benchmarks.rebuild 1000000 [--stores sqlite postgres] [--cipher]``
(``--cipher``: with a random ``ACTIONTRAIL_CIPHER_KEY``, so events and read-model text are
encrypted).
With ``ACTIONTRAIL_FAST_PATHS=0`` the rebuild takes the plain library path (see
``infrastructure.storage.fastpaths``).
PostgreSQL comes from ``ACTIONTRAIL_TEST_POSTGRES_URL`` (default the local ``test`` database),
in a schema of its own that is dropped afterwards.
"""

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.cipher import AESCipher
from psycopg.sql import SQL, Identifier
from pydantic import SecretStr

from application.service import ActionTrail
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.rebuild import REBUILD_BATCH, progress_bar, rebuild
from infrastructure.storage.database import postgres_conninfo
from tests.builders import Steps, action_steps, library_select, meeting_steps, recommendation_steps

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def interleaved(total: int, spread: int, seed: int = 7) -> Iterator[list[Any]]:
    """Chunks of about ``total`` events, each aggregate's commands interleaved with those of
    about ``spread`` others (as in a real log, where a meeting's events are days apart), in the
    order the commands ran. ``spread=1``: each aggregate's events one after another.

    21 events per round of a meeting, an action and a recommendation.
    """
    chooser = random.Random(seed)
    active: list[Steps] = []
    started, written = 0, 0
    chunk: list[Any] = []
    while written < total or active:
        while len(active) < spread and started * 7 < total:
            builder = (meeting_steps, action_steps, recommendation_steps)[started % 3]
            active.append(builder(started // 3))
            started += 1
        if not active:
            break
        index = chooser.randrange(len(active))
        aggregate = next(active[index], None)
        if aggregate is None:
            active[index] = active[-1]
            active.pop()
            continue
        events = aggregate.collect_events()
        chunk.extend(events)
        written += len(events)
        if len(chunk) >= 3000:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def fill(app: ActionTrail, total: int, spread: int = 1) -> float:
    started = time.perf_counter()
    for chunk in interleaved(total, spread):
        app.save(*chunk)
    return time.perf_counter() - started


def raw_rate(app: ActionTrail, batch_size: int) -> tuple[int, float]:
    """Events read and decoded by the library alone, and the seconds it took."""
    started = time.perf_counter()
    position, count = 0, 0
    decode = app.mapper.to_domain_event
    select = library_select(app.recorder)
    while True:
        notifications = select(start=position, limit=batch_size, inclusive_of_start=False)
        if not notifications:
            break
        for notification in notifications:
            decode(notification)
        count += len(notifications)
        position = notifications[-1].id
    return count, time.perf_counter() - started


def report(store: str, what: str, count: int, seconds: float) -> None:
    rate = count / seconds if seconds else float("inf")
    print(
        f"[{store}] {what:<22} {count} events in {seconds:6.1f}s = {rate:9,.0f} ev/s"
        f" (1M events: {1_000_000 / rate:5.0f}s)"
    )


def bench(
    store: str, settings: Settings, events: int, batch_size: int, spread: int, bar: bool
) -> None:
    app = build_application(settings)
    try:
        head = app.head()
        if head < events:
            seconds = fill(app, events - head, spread)
            print(f"[{store}] wrote {app.head() - head} events in {seconds:.1f}s")
        report(store, "raw read+decode", *raw_rate(app, batch_size))

        for processes in (1, 2):
            what = f"rebuild, {processes} process{'es' if processes > 1 else ''}"
            started = time.perf_counter()
            count = rebuild(
                settings,
                app,
                progress=progress_bar(f"{store} {what}") if bar else None,
                processes=processes,
            )
            report(store, what, count, time.perf_counter() - started)
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("events", type=int, help="size of the log, in events")
    parser.add_argument(
        "--stores", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--batch-size", type=int, default=REBUILD_BATCH, help="events per read of the raw rate"
    )
    parser.add_argument(
        "--spread",
        type=int,
        default=2000,
        help="interleave each aggregate's events with those of about this many others",
    )
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--no-bar", action="store_true", help="no progress bar")
    parser.add_argument(
        "--cipher", action="store_true", help="encrypt with a random key (ACTIONTRAIL_CIPHER_KEY)"
    )
    args = parser.parse_args()
    key = SecretStr(AESCipher.create_key(32)) if args.cipher else None
    for store in args.stores:
        if store == "sqlite":
            with tempfile.TemporaryDirectory() as directory:
                settings = Settings(
                    database_url=f"sqlite:///{Path(directory) / 'bench.db'}", cipher_key=key
                )
                bench(store, settings, args.events, args.batch_size, args.spread, not args.no_bar)
        else:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            settings = Settings(
                database_url=args.postgres_url, database_schema=schema, cipher_key=key
            )
            try:
                bench(store, settings, args.events, args.batch_size, args.spread, not args.no_bar)
            finally:
                with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
                    conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))


if __name__ == "__main__":
    main()
