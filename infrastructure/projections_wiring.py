"""Builds the read side from settings: the projection runner, the read service, and wake-ups.

Inside the server::

    app = build_notifying_application(settings)      # or build_application(settings)
    reads = start_read_side(settings, app)           # runner in a background thread
    ...
    stop_read_side(reads)

As a separate worker: ``python -m infrastructure.projections_wiring worker``; also ``rebuild
[NAME ...]`` (with a progress bar) and ``status``.

Wake-ups: the runner polls with backoff (up to a second) on both stores. An application built by
``build_notifying_application`` also wakes runners as soon as a command is saved: in the same
process directly, and on PostgreSQL other processes through ``NOTIFY`` on a channel named after
the schema, which ``PostgresListener`` LISTENs to.
"""

import argparse
import fcntl
import json
import logging
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import partial
from typing import Any

import psycopg
from eventsourcing.persistence import Recording
from psycopg import sql

from application.service import ActionTrail
from infrastructure.bootstrap import build_application
from infrastructure.bootstrap import postgres_conninfo as _conninfo
from infrastructure.collector import collector_paused
from infrastructure.config import Settings
from infrastructure.database import create_projection_engine, snapshot_of
from infrastructure.fastpaths import decoder, row_writer
from projections.runner import Progress, ProjectionRunner, all_projections
from projections.sealing import Sealer
from projections.service import ReadService
from projections.standards import Standards

log = logging.getLogger(__name__)


def standards_from(settings: Settings) -> Standards:
    return Standards(
        statutory_partners=tuple(settings.reference().statutory_partners),
        meeting_within_working_days=settings.meeting_within_working_days,
        record_shared_within_working_days=settings.record_shared_within_working_days,
    )


def notify_channel(settings: Settings) -> str:
    """The NOTIFY channel of one schema's log (PostgreSQL identifiers: at most 63 bytes)."""
    return f"actiontrail_{settings.database_schema}"[:63]


class NotifyingActionTrail(ActionTrail):
    """ActionTrail that tells projection runners about every save.

    ``on_saved`` callbacks (e.g. a runner's ``poke``) get the newest position; on PostgreSQL a
    ``NOTIFY`` with that position reaches runners in other processes.
    """

    notify_channel: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_saved: list[Callable[[int], None]] = []

    def _notify(self, recordings: list[Recording[Any]]) -> None:
        super()._notify(recordings)
        if not recordings:
            return
        position = max(r.notification.id for r in recordings)
        for callback in self.on_saved:
            callback(position)
        if self.notify_channel is not None:
            try:
                datastore: Any = getattr(self.recorder, "datastore", None)
                with datastore.transaction(commit=True) as cursor:
                    cursor.execute("SELECT pg_notify(%s, %s)", (self.notify_channel, str(position)))
            except psycopg.Error:
                log.warning("could not NOTIFY projection runners; they will poll", exc_info=True)


def build_notifying_application(settings: Settings) -> NotifyingActionTrail:
    app = build_application(settings, NotifyingActionTrail)
    if settings.store == "postgresql":
        app.notify_channel = notify_channel(settings)
    return app


def build_runner(
    settings: Settings,
    app: ActionTrail,
    batch_size: int = 2000,
    names: Sequence[str] | None = None,
    write_lock: Callable[[], AbstractContextManager[Any]] = nullcontext,
) -> ProjectionRunner:
    """A runner of all projections, or of those ``names``."""
    projections = [p for p in all_projections(sealer_of(app)) if names is None or p.name in names]
    return ProjectionRunner(
        recorder=app.recorder,
        decode=decoder(settings, app),
        engine=create_projection_engine(settings),
        projections=projections,
        batch_size=batch_size,
        write_lock=write_lock,
        writer=row_writer(settings),
    )


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


def sealer_of(app: ActionTrail) -> Sealer:
    """Read-model text sealed with the application's own cipher (none: plain text)."""
    return Sealer(app.mapper.cipher)


def build_read_service(
    settings: Settings, app: ActionTrail, consistent: bool = True, batch_size: int = 2000
) -> ReadService:
    return ReadService(
        build_runner(settings, app, batch_size),
        standards_from(settings),
        consistent=consistent,
        sealer=sealer_of(app),
        snapshot=snapshot_of(settings),
    )


class PostgresListener:
    """LISTENs on the log's channel in a thread and pokes the runner on each NOTIFY."""

    def __init__(self, settings: Settings, on_notify: Callable[[], None]) -> None:
        self.conninfo = _conninfo(settings)
        self.channel = notify_channel(settings)
        self.on_notify = on_notify
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._listen, name="projection-listener", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(5)

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self.on_notify()
            except psycopg.Error:
                log.warning("LISTEN connection lost; reconnecting", exc_info=True)
                self._stopping.wait(1.0)


class ReadSide:
    """A running read side: the service, and the threads to stop with it."""

    def __init__(self, service: ReadService, listener: PostgresListener | None) -> None:
        self.service = service
        self.listener = listener


def start_read_side(settings: Settings, app: ActionTrail) -> ReadSide:
    """Build the read service and run its projections in a background thread of this process."""
    service = build_read_service(settings, app)
    runner = service.runner
    if isinstance(app, NotifyingActionTrail):
        app.on_saved.append(lambda _: runner.poke())
    listener = None
    if settings.store == "postgresql":
        listener = PostgresListener(settings, runner.poke)
        listener.start()
    runner.start()
    return ReadSide(service, listener)


def stop_read_side(read_side: ReadSide) -> None:
    read_side.service.stop()
    if read_side.listener is not None:
        read_side.listener.stop()


def _rebuild_worker(
    settings: Settings, names: list[str], batch_size: int, worker: int, reports: Any
) -> None:
    try:
        app = build_application(settings)
    except BaseException as error:
        reports.put(("error", worker, repr(error), 0))
        raise
    try:
        lock = partial(sqlite_writers_turn, settings) if settings.store == "sqlite" else nullcontext
        runner = build_runner(settings, app, batch_size, names, write_lock=lock)
        with collector_paused():
            count = runner.rebuild(
                names, lambda done, total: reports.put(("progress", worker, done, total))
            )
        runner.engine.dispose()
        reports.put(("done", worker, count, count))
    except BaseException as error:
        reports.put(("error", worker, repr(error), 0))
        raise
    finally:
        app.close()


#: How a parallel rebuild splits the work: the audit log (one row per event) on its own.
REBUILD_GROUPS = (
    ("audit_log",),
    ("overdue_actions", "meetings", "record_quality", "response_history"),
)


def parallel_rebuild(
    settings: Settings,
    names: Sequence[str] | None = None,
    progress: Progress | None = None,
    batch_size: int = 5000,
) -> int:
    """Rebuild in one process per group of ``REBUILD_GROUPS`` (each reads the log itself).

    Projections keep positions of their own, so the processes never contend for a batch; on
    two cores this cuts a full rebuild's time by about a third or more. Returns the number of
    events in the log that was replayed.
    """
    import multiprocessing

    wanted = set(names) if names else {n for group in REBUILD_GROUPS for n in group}
    groups = [[n for n in group if n in wanted] for group in REBUILD_GROUPS]
    groups = [g for g in groups if g]
    context = multiprocessing.get_context("spawn")
    reports: Any = context.Queue()
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
            kind, worker, done, total = reports.get(timeout=1.0)
        except queue.Empty:
            dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"a rebuild process died (exit codes {dead})") from None
            continue
        if kind == "error":
            for process in processes:
                process.terminate()
            raise RuntimeError(f"rebuild of {groups[worker]} failed: {done}")
        state[worker] = (done, total)
        if kind == "done":
            finished.add(worker)
        if progress is not None:
            progress(sum(d for d, _ in state.values()), sum(t for _, t in state.values()))
    for process in processes:
        process.join()
    return max((total for _, total in state.values()), default=0)


#: Events per batch in a rebuild (following the log uses smaller batches, for latency).
REBUILD_BATCH = 5000
#: From this many events on, a rebuild of projections in more than one group of
#: ``REBUILD_GROUPS`` runs one process per group (below, starting processes costs more).
PARALLEL_FROM = 50_000


def rebuild(
    settings: Settings,
    app: ActionTrail,
    names: Sequence[str] | None = None,
    progress: Progress | None = None,
    processes: int | None = None,
) -> int:
    """Rebuild the named projections (default: all); the number of events replayed.

    ``processes``: 1 for one process, 2 or more for one per group of ``REBUILD_GROUPS``; by
    default, several when the log holds ``PARALLEL_FROM`` events or more and the machine has
    more than one core. Raises ``UnknownProjection`` for a name that is not a projection.
    """
    runner = build_runner(settings, app, REBUILD_BATCH)
    try:
        chosen = [p.name for p in runner.select(names)]
        groups = sum(1 for group in REBUILD_GROUPS if set(group) & set(chosen))
        if processes is None:
            several = runner.head() >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
            processes = 2 if several else 1
        if processes > 1 and groups > 1:
            return parallel_rebuild(settings, chosen, progress, REBUILD_BATCH)
        with collector_paused():
            return runner.rebuild(chosen, progress)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infrastructure.projections_wiring")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("worker", help="catch up, then follow new events until interrupted")
    rebuilding = commands.add_parser("rebuild", help="rebuild projections from the event log")
    rebuilding.add_argument("names", nargs="*", help="projections to rebuild (default: all)")
    commands.add_parser("status", help="each projection's position, the head and the lag")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    settings = Settings()
    app = build_application(settings)
    try:
        service = build_read_service(settings, app, consistent=False)
        if args.command == "status":
            print(json.dumps([s.model_dump(mode="json") for s in service.status()], indent=2))
        elif args.command == "rebuild":
            done = rebuild(settings, app, args.names or None, progress_bar("rebuild"))
            print(f"rebuilt from {done} events", file=sys.stderr)
        else:
            listener = None
            if settings.store == "postgresql":
                listener = PostgresListener(settings, service.runner.poke)
                listener.start()
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            service.runner.start()
            stop.wait()
            service.stop()
            if listener is not None:
                listener.stop()
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
