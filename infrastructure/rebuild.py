"""Rebuilding projections from the log: in this process, or in one process per group.

Only the command line (and the rebuild benchmark) import this module: it uses ``flock``, which
the HTTP app must not need (``fcntl`` does not exist on Windows).

``rebuild`` decides: a log of ``PARALLEL_FROM`` events or more, on more than one core, is
replayed in two processes, the projections shared out by their declared ``rebuild_weight``
(``rebuild_groups``); each process reads the log itself and keeps its own projections'
positions, so the processes never contend for a batch and exactly-once is unchanged. Workers
report to the parent with small typed messages (``Advanced``, ``Finished``, ``Failed``). The
garbage collector is paused only while a rebuild replays (``collector_paused``).
"""

import fcntl
import gc
import multiprocessing
import os
import queue
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from multiprocessing.queues import Queue

from application.service import ActionTrail
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.read_side import build_runner
from projections.base import Projection
from projections.runner import Progress

#: Events per batch in a rebuild (following the log uses smaller batches, for latency).
REBUILD_BATCH = 5000
#: From this many events on, a rebuild of projections in more than one group runs one process
#: per group (below, starting processes costs more).
PARALLEL_FROM = 50_000
#: Processes of a large rebuild when the machine has more than one core.
PARALLEL_PROCESSES = 2


def rebuild_groups(projections: Sequence[Projection], processes: int) -> list[list[str]]:
    """The names of ``projections`` shared out among at most ``processes`` groups of about equal
    ``rebuild_weight``: the heaviest first, each to the lightest group so far."""
    groups: list[list[str]] = [[] for _ in range(max(processes, 1))]
    weights = [0] * len(groups)
    for projection in sorted(projections, key=lambda p: -p.rebuild_weight):
        lightest = weights.index(min(weights))
        groups[lightest].append(projection.name)
        weights[lightest] += projection.rebuild_weight
    return [group for group in groups if group]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: a rebuild makes millions of objects and no reference
    cycles, and the collector would otherwise rescan every cached row again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def sqlite_writers_turn(settings: Settings) -> Iterator[None]:
    """Hold the projection writers' lock of a SQLite file (``<file>.projections-lock``).

    SQLite lets one writer in at a time, and one that finds the file locked polls with sleeps
    of up to 100 ms; two rebuild processes lost seconds that way. With this lock (``flock``,
    released by the kernel if the holder dies) the next writer goes in as soon as the last one
    commits. It is an addition to SQLite's own locking, not a replacement.
    """
    path = settings.sqlite_path.with_name(settings.sqlite_path.name + ".projections-lock")
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class _FromWorker:
    """A message from a worker, numbered ``worker``."""

    worker: int


@dataclass(frozen=True)
class Advanced(_FromWorker):
    """The worker has read ``done`` of the ``total`` events."""

    done: int
    total: int


@dataclass(frozen=True)
class Finished(_FromWorker):
    """The worker has rebuilt its projections from ``events`` events."""

    events: int


@dataclass(frozen=True)
class Failed(_FromWorker):
    """The worker has failed with ``error`` (its ``repr``)."""

    error: str


WorkerMessage = Advanced | Finished | Failed


def _rebuild_worker(
    settings: Settings,
    names: list[str],
    batch_size: int,
    worker: int,
    reports: "Queue[WorkerMessage]",
) -> None:
    try:
        app = build_application(settings)
    except BaseException as error:
        reports.put(Failed(worker, repr(error)))
        raise
    try:
        lock = partial(sqlite_writers_turn, settings) if settings.store == "sqlite" else nullcontext
        runner = build_runner(settings, app, batch_size, names, write_lock=lock)
        count = runner.rebuild(
            names,
            lambda done, total: reports.put(Advanced(worker, done, total)),
            replaying=collector_paused,
        )
        runner.engine.dispose()
        reports.put(Finished(worker, count))
    except BaseException as error:
        reports.put(Failed(worker, repr(error)))
        raise
    finally:
        app.close()


def parallel_rebuild(  # noqa: C901 - the rebuild's steps read in order; each branch is an outcome
    settings: Settings,
    groups: Sequence[list[str]],
    progress: Progress | None = None,
    batch_size: int = REBUILD_BATCH,
) -> int:
    """Rebuild in one process per group of projection names (each reads the log itself).

    On two cores this cuts a full rebuild's time by about a third or more. Returns the number
    of events in the log that was replayed.
    """
    context = multiprocessing.get_context("spawn")
    reports: Queue[WorkerMessage] = context.Queue()
    processes = [
        context.Process(target=_rebuild_worker, args=(settings, group, batch_size, i, reports))
        for i, group in enumerate(groups)
    ]
    for process in processes:
        process.start()
    state = dict.fromkeys(range(len(groups)), (0, 0))
    finished: set[int] = set()
    while len(finished) < len(groups):
        try:
            message = reports.get(timeout=1.0)
        except queue.Empty:
            dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"a rebuild process died (exit codes {dead})") from None
            continue
        match message:
            case Failed(worker, error):
                for process in processes:
                    process.terminate()
                raise RuntimeError(f"rebuild of {groups[worker]} failed: {error}")
            case Advanced(worker, done, total):
                state[worker] = (done, total)
            case Finished(worker, events):
                state[worker] = (events, events)
                finished.add(worker)
        if progress is not None:
            progress(sum(d for d, _ in state.values()), sum(t for _, t in state.values()))
    for process in processes:
        process.join()
    return max((total for _, total in state.values()), default=0)


def rebuild(
    settings: Settings,
    app: ActionTrail,
    names: Sequence[str] | None = None,
    progress: Progress | None = None,
    processes: int | None = None,
) -> int:
    """Rebuild the named projections (default: all); the number of events replayed.

    ``processes``: 1 for one process, 2 or more for one per group of ``rebuild_groups``; by
    default, ``PARALLEL_PROCESSES`` when the log holds ``PARALLEL_FROM`` events or more and the
    machine has more than one core. Raises ``UnknownProjection`` for a name that is not a
    projection.
    """
    runner = build_runner(settings, app, REBUILD_BATCH)
    try:
        chosen = [p.name for p in runner.select(names)]
        if processes is None:
            several = runner.head() >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
            processes = PARALLEL_PROCESSES if several else 1
        groups = [
            [name for name in group if name in chosen]
            for group in rebuild_groups(runner.projections, processes)
        ]
        groups = [group for group in groups if group]
        if len(groups) > 1:
            return parallel_rebuild(settings, groups, progress, REBUILD_BATCH)
        return runner.rebuild(chosen, progress, replaying=collector_paused)
    finally:
        runner.engine.dispose()


def progress_bar(description: str) -> Progress:
    """A progress callback drawing a ``rich`` bar on stderr (closed when all is done)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TaskID,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress

    bar: RichProgress | None = None
    task: TaskID | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            bar.start()
            task = bar.add_task(description, total=total)
        assert task is not None
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.stop()

    return update
