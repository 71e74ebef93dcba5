"""Ctrl-C at a moment it must not cut short: while an import's transaction is saved."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


class Deferred:
    """From ``hold()`` on, Ctrl-C (SIGINT) is noted rather than raised, until ``release()``;
    ``interrupted`` says whether one came meanwhile (the caller decides what to say). Main
    thread only, as every signal handler."""

    def __init__(self) -> None:
        self.interrupted = False
        self._previous: Any = None

    def hold(self) -> None:
        if self._previous is None:
            self._previous = signal.signal(signal.SIGINT, self._note)

    def release(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.interrupted = True


@contextmanager
def deferring() -> Iterator[Deferred]:
    """A ``Deferred`` for the block. A hold taken in it lasts until the process ends (the
    command's last step): a Ctrl-C after a save must neither end the process by SIGINT nor be
    told as "nothing was written"; the caller reports ``interrupted``."""
    yield Deferred()
