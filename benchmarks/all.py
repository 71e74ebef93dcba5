"""Every measure of issue 12, each beside its baseline taken in the same run, in one table.

On each store: a realistic log of ``--events`` events (``benchmarks.log``) and one of a tenth
the size; then the rebuild (rate beside the raw read+decode rate, peak memory at both sizes),
reads p95 through the presentation facade, the command path in-process beside the raw
``Application.save``, one command over HTTP (a real ``actiontrail serve``; one client and
eight) beside in-process and ``/health``, the bulk import (``actiontrail import`` process
and in-process) beside the raw library saving the same events in batches, and the hash
chain's cost and ``verify``'s rate (``measures.integrity``). Every figure is the
median of ``--repeat`` repetitions (latencies: the median of each repetition's p50 or p95).

Usage: ``.venv/bin/python -m benchmarks.all [--events 100000] [--stores sqlite postgres]
[--repeat 3] [--dense] [--workers N [N ...]] [--json]``. ``--workers``: the HTTP measure once
per count of ``serve`` processes, in one run (default: ``serve``'s own default for the store;
SQLite serves with one only). Progress goes to stderr, the table (or JSON) to stdout.
PostgreSQL: ``ACTIONTRAIL_TEST_POSTGRES_URL`` (default the local ``test`` database), a schema
of its own per store, dropped afterwards.
"""

import argparse
import json
import time
from contextlib import ExitStack
from typing import Any

from benchmarks.harness import Row, Store, fresh_store, progress, table
from benchmarks.log import Summary, write_log
from benchmarks.measures import commands, http, importing, integrity, rebuild, reports
from infrastructure.bootstrap import build_application, build_services
from infrastructure.cli.serve import DEFAULT_WORKERS
from infrastructure.config import Settings

MEASURES = ("import", "commands", "http", "rebuild", "reports", "integrity")


def written(settings: Settings, events: int, dense: bool) -> Summary:
    app = build_application(settings)
    try:
        started = time.perf_counter()
        summary = write_log(app, events, dense=dense)
        rate = summary.events / (time.perf_counter() - started)
        progress(f"wrote {summary.as_json()} at {rate:,.0f} ev/s")
        return summary
    finally:
        app.close()


def http_workers(settings: Settings, chosen: list[int] | None) -> list[int]:
    """The ``serve --workers`` counts to measure on this store: ``chosen`` (one on SQLite,
    which refuses more) or ``serve``'s default."""
    if settings.store == "sqlite":
        return [1]
    return chosen or [DEFAULT_WORKERS[settings.store]]


def on_store(store: Store, args: argparse.Namespace) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {name: [] for name in MEASURES}
    chosen = set(args.only)
    if chosen - {"import"}:
        with ExitStack() as stack:
            large = stack.enter_context(fresh_store(store))
            progress(f"{store}: writing the log, {args.events} events")
            summary = written(large, args.events, args.dense)
            head = summary.events
            if "rebuild" in chosen or "reports" in chosen:
                small = stack.enter_context(fresh_store(store))
                written(small, args.events // 10, args.dense)
                sizes = (args.events // 10, args.events)
                if "rebuild" in chosen:
                    rows["rebuild"] = rebuild.measure(store, large, small, sizes, args.repeat)
                else:
                    rebuild.rebuild_in_child(large)
            elif chosen & {"http", "integrity"}:
                # read models at the head, so that the server's runner only follows the log
                # (as deployed) instead of building them while commands are timed, and a pack
                # reads them as they are
                rebuild.rebuild_in_child(large)
            with build_services(large) as services:
                if "reports" in chosen:
                    rows["reports"] = reports.measure(
                        store, services.queries, summary, head, args.calls, args.repeat
                    )
                times = None
                counts = http_workers(large, args.workers)
                if chosen & {"commands", "http"}:
                    rows["commands"], times = commands.measure(
                        store, services.trail, summary.action_ids, args.calls, args.repeat
                    )
                    # actions of their own for each count of workers: none measured on
                    # aggregates another count has already lengthened
                    actions = commands.open_actions(
                        services.trail, summary.action_ids, 64 * len(counts)
                    )
                if "integrity" in chosen:
                    rows["integrity"] = integrity.measure(
                        store, large, services, summary, args.calls, args.repeat
                    )
            if "http" in chosen and times is not None:
                token = http.first_user(large)
                for index, workers in enumerate(counts):
                    mine = actions[index :: len(counts)]
                    rows["http"] += http.measure(
                        store, large, mine, times, args.calls, args.repeat, workers, token
                    )
    if "import" in chosen:
        rows["import"] = importing.measure(store, args.import_meetings, args.repeat)
    if "integrity" in chosen:
        rows["integrity"] += integrity.import_cost(store, args.import_meetings, args.repeat)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000, help="size of the large log")
    parser.add_argument(
        "--stores", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of every measure")
    parser.add_argument("--calls", type=int, default=50, help="timed calls per repetition")
    parser.add_argument("--dense", action="store_true", help="the dense log (benchmarks.log)")
    parser.add_argument(
        "--import-meetings",
        type=int,
        default=365,
        help="meetings of the import file (14 events each)",
    )
    parser.add_argument("--only", nargs="+", default=list(MEASURES), choices=MEASURES)
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=None,
        help="serve --workers of the HTTP measure, each measured in turn (default: serve's "
        "default for the store; SQLite: 1 only)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.workers and min(args.workers) < 1:
        parser.error("--workers must be at least 1")
    results = {store: on_store(store, args) for store in args.stores}
    ordered = [row for name in MEASURES for store in args.stores for row in results[store][name]]
    if args.json:
        document: dict[str, Any] = {
            "events": args.events,
            "dense": args.dense,
            "repeat": args.repeat,
            "rows": [row.as_json() for row in ordered],
        }
        print(json.dumps(document, indent=2))
    else:
        print(table(ordered))


if __name__ == "__main__":
    main()
