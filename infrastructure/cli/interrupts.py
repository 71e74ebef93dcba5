"""Ctrl-C at a moment it must not cut short: while an import's transaction is saved."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Deferred:
    """From ``hold()`` on, to the end of the process, Ctrl-C (SIGINT) is noted rather than
    raised; ``interrupted`` says whether one came (the caller decides what to say). Main
    thread only, as every signal handler."""

    def __init__(self) -> None:
        self.interrupted = False
        self._held = False

    def hold(self) -> None:
        if not self._held:
            signal.signal(signal.SIGINT, self._note)
            self._held = True

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.interrupted = True


@contextmanager
def deferring() -> Iterator[Deferred]:
    """A ``Deferred`` for the block. A hold taken in it lasts until the process ends (the
    command's last step): a Ctrl-C after a save must neither end the process by SIGINT nor be
    told as "nothing was written"; the caller reports ``interrupted``."""
    yield Deferred()
