"""Loopback ports for the servers, proxies and browsers that tests start.

A port chosen here is bound later, often by another process, so two choosers must never hand out
the same one. Each pytest-xdist worker takes its ports from a block of its own: block N for
worker ``gwN`` (``PYTEST_XDIST_WORKER``; block 0 without xdist), in turn, passing over any port
something else holds. The blocks lie below Linux's ephemeral range (32768 and up), so the kernel
never gives one of them to ``bind(0)`` or to an outgoing connection. A block is held with a lock
file for the worker's life: a second test run on the machine at the same time takes the next
free blocks instead of racing this one.
"""

import fcntl
import itertools
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

FIRST_PORT = 20_000
BLOCK_SIZE = 100
BLOCKS = 120  # ports 20000 to 31999
LOCKS = Path(tempfile.gettempdir()) / "actiontrail-test-ports"

_held: list[IO[bytes]] = []
_ports: Iterator[int] | None = None


def worker_number() -> int:
    """This xdist worker's number (``gw3``: 3); 0 outside xdist."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def _claim_block() -> Iterator[int]:
    """The ports of the first block from this worker's own that no other process holds."""
    LOCKS.mkdir(exist_ok=True)
    for offset in range(BLOCKS):
        block = (worker_number() + offset) % BLOCKS
        lock = (LOCKS / f"block-{block}.lock").open("wb")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        _held.append(lock)  # released when this process ends
        first = FIRST_PORT + block * BLOCK_SIZE
        return itertools.cycle(range(first, first + BLOCK_SIZE))
    raise RuntimeError(f"all {BLOCKS} port blocks are held (lock files in {LOCKS})")


def _unused(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A loopback port of this worker's block that nothing listens on, nor will unless asked."""
    global _ports
    if _ports is None:
        _ports = _claim_block()
    for port in itertools.islice(_ports, BLOCK_SIZE):
        if _unused(port):
            return port
    raise RuntimeError("every port of this worker's block is in use")
