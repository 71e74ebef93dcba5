"""The cyclic garbage collector, paused while a rebuild runs.

A rebuild makes millions of objects and no reference cycles; the collector would otherwise
rescan every cached row again and again. Only a rebuild pauses it: a server that follows the
log keeps collecting.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector inside, and restore it as it was after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
