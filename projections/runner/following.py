"""Following the log: the runner's background thread, and the waits of readers who must read
their writes.

Failures of the database connection stall nothing: the follow loop backs off and tries again. A
stalled projection is tried again once each time the loop starts, never in a loop.
"""

import logging
import threading
import time
from collections.abc import Iterable
from typing import Protocol

from projections.runner.positions import Positions, all_at
from projections.runner.settings import Progress, RunnerSettings
from projections.stalls import Stall

log = logging.getLogger(__name__)


class Followed(Protocol):
    """What the follow loop and the waits need of a runner."""

    settings: RunnerSettings
    positions: Positions

    @property
    def names(self) -> list[str]: ...

    def head(self) -> int: ...

    def catch_up(
        self, until: int | None = None, progress: Progress | None = None, fresh: bool = True
    ) -> int: ...

    def retry(self, names: Iterable[str] | None = None) -> dict[str, Stall | None]: ...


class Follower:
    """Follows the log for ``runner`` in a thread of its own, and waits for positions.

    ``lock`` is the runner's, held by whoever catches up: a waiter without the thread catches up
    itself once it holds it. ``settle`` starts as the runner's ``settings.settle``.
    """

    def __init__(self, runner: Followed, lock: threading.RLock) -> None:
        self.runner = runner
        self.settle = runner.settings.settle
        self._lock = lock
        self._wakeup = threading.Event()
        self._urgent = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        """New events were written: look within ``settle`` seconds rather than at the next poll
        (the saves of those moments are then applied in one batch)."""
        self._wakeup.set()

    def hurry(self) -> None:
        """A reader waits for the projections: catch up now."""
        self._urgent.set()
        self._wakeup.set()

    def run_forever(self) -> None:
        """Catch up, then follow new events until ``stop``: poll with backoff, wake on ``poke``
        (after ``settle`` seconds, so that commands in quick succession are applied together
        rather than each queueing with its own batch) or at once on ``hurry``."""
        runner = self.runner
        batch_size = runner.settings.batch_size
        max_poll_interval = runner.settings.max_poll_interval
        interval = 0.02
        retried = False
        while not self._stopping.is_set():
            try:
                if not retried:
                    runner.retry()  # once per start: new code or settings may now pass a stall
                    retried = True
                self._urgent.clear()
                done = runner.catch_up(fresh=False)
                if done >= batch_size:
                    continue  # far behind: no pause between full batches
                interval = 0.02 if done else min(interval * 2, max_poll_interval)
            except Exception:
                log.exception("projection runner failed; retrying")
                interval = max_poll_interval * 5
            self._wakeup.wait(interval)
            self._wakeup.clear()
            self._urgent.wait(self.settle)

    def start(self) -> None:
        """Run the follow loop in a background thread (inside a server process)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self.run_forever, name="projection-runner", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wakeup.set()
        self._urgent.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_for(
        self, position: int, timeout: float = 10.0, names: Iterable[str] | None = None
    ) -> bool:
        """Wait until the projections ``names`` (default: all) have reached ``position`` (read
        your writes).

        With the background thread running it is woken and awaited; otherwise the caller's
        thread catches up itself. False when the time is up first; ``ProjectionStalled`` as
        soon as the database says one of them is stalled before ``position`` (a stall this
        runner still remembers may have been retried or skipped by another process).
        """
        runner, positions = self.runner, self.runner.positions
        wanted = runner.names if names is None else list(names)
        deadline = time.monotonic() + timeout
        while not all_at(position, wanted, positions.at):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return positions.reached(position, wanted, stored=True)
            if self.running:
                self.hurry()
                with positions.advanced:
                    positions.advanced.wait(min(remaining, 0.05))
            elif self._lock.acquire(timeout=remaining):
                try:
                    runner.catch_up(until=max(position, runner.head()))
                finally:
                    self._lock.release()
            if positions.reached(position, wanted, stored=True):
                return True
        return True
