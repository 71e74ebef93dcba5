"""The log's head for ``/health``, read in a thread of its own so ``/health`` answers in time.

A database that does not answer would hold a request for as long as the driver waits; here the
read runs aside and ``/health`` waits ``HEALTH_SECONDS`` at most. One read is in flight at a
time: later checks wait for it rather than pile up threads, unless it has hung for
``STUCK_SECONDS``, when a fresh one starts (a vanished network can stall a read for minutes).
"""

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from infrastructure.storage.faults import DatabaseUnavailable, unavailable_reason

#: The longest ``/health`` waits for the database.
HEALTH_SECONDS = 0.5
#: A read in flight for longer than this is left to finish on its own.
STUCK_SECONDS = 10.0


class HeadProbe:
    def __init__(self, read_head: Callable[[], int]) -> None:
        self._read_head = read_head
        self._lock = threading.Lock()
        self._pending: Future[int] | None = None
        self._started = 0.0

    async def head(self, within: float = HEALTH_SECONDS) -> int:
        """The head position; ``DatabaseUnavailable`` if the database fails or is too slow."""
        try:
            # Shielded: a check that gives up must not cancel the read others may wait for.
            read = asyncio.shield(asyncio.wrap_future(self._read()))
            return await asyncio.wait_for(read, within)
        except TimeoutError:
            raise DatabaseUnavailable(f"no answer within {within} s") from None
        except Exception as error:
            reason = unavailable_reason(error)
            if reason is None:
                raise
            raise DatabaseUnavailable(reason) from error

    def _read(self) -> "Future[int]":
        with self._lock:
            pending = self._pending
            stuck = time.monotonic() - self._started > STUCK_SECONDS
            if pending is None or pending.done() or stuck:
                pending = self._pending = Future()
                self._started = time.monotonic()
                threading.Thread(
                    target=self._run, args=(pending,), name="health-probe", daemon=True
                ).start()
            return pending

    def _run(self, pending: "Future[int]") -> None:
        try:
            pending.set_result(self._read_head())
        except BaseException as error:
            pending.set_exception(error)
