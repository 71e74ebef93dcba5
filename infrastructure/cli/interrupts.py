"""Ctrl-C at a moment it must not cut short: while an import's one transaction is saved."""

import signal
from types import FrameType, TracebackType


class Deferred:
    """From ``hold()`` on, Ctrl-C (SIGINT) is noted rather than raised; on leaving the block
    the usual handler is back, and ``interrupted`` says whether one came meanwhile (the
    caller decides what to say). Main thread only, as every signal handler."""

    def __init__(self) -> None:
        self.interrupted = False
        self._previous: signal.Handlers | object | None = None

    def hold(self) -> None:
        if self._previous is None:
            self._previous = signal.signal(signal.SIGINT, self._note)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.interrupted = True

    def __enter__(self) -> "Deferred":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]
            self._previous = None
