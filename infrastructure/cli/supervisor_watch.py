"""A worker of ``serve --workers N`` stops when its supervisor is gone.

uvicorn's supervisor stops its workers when it is asked to stop (SIGINT, SIGTERM), but one
killed outright (``kill -9``, the OOM killer, a process manager that signals only the main pid)
cannot: its workers would serve on as orphans, holding the port. So each worker asks the kernel
to send it SIGTERM when its parent dies (Linux: ``prctl(PR_SET_PDEATHSIG)``) and, on every
system, watches its parent pid in a thread. SIGTERM is how the supervisor itself stops a worker:
uvicorn stops accepting, lets the requests in flight finish, and the projection runner stops
after its batch (whose rows and position commit together or not at all).
"""

import ctypes
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger("uvicorn.error")

#: From ``<linux/prctl.h>``.
PR_SET_PDEATHSIG = 1
#: How often the watching thread compares its parent pid with the supervisor's.
CHECK_SECONDS = 0.5


def stop_with_supervisor(supervisor: int) -> None:
    """Send this process SIGTERM once ``supervisor`` is no longer its parent (at once if it is
    already gone)."""
    if sys.platform == "linux":
        ask_the_kernel(signal.SIGTERM)
    # Also on Linux: the kernel's signal follows the thread that started us, and it is not sent
    # if the supervisor died before we asked; the watch catches both.
    threading.Thread(target=watch, args=(supervisor,), name="supervisor-watch", daemon=True).start()


def ask_the_kernel(sig: signal.Signals) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        reason = os.strerror(ctypes.get_errno())
        log.warning("prctl(PR_SET_PDEATHSIG) failed (%s); watching the parent pid only", reason)


def watch(supervisor: int) -> None:
    while os.getppid() == supervisor:
        time.sleep(CHECK_SECONDS)
    log.warning("Supervisor process [%d] is gone; stopping", supervisor)
    os.kill(os.getpid(), signal.SIGTERM)
