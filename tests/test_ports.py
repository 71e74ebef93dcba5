"""Tests' ports (``tests/ports.py``): each xdist worker, and each concurrent run's worker of the
same name, takes its ports from a block no other holds, below the kernel's ephemeral range."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.ports import BLOCK_SIZE, BLOCKS, FIRST_PORT, free_port

ROOT = Path(__file__).resolve().parent.parent
#: Prints three ports, then holds its block until its input closes.
CHOOSER = "import sys; from tests.ports import free_port; print(*(free_port() for _ in range(3)))"
HOLD = "; sys.stdout.flush(); sys.stdin.read()"


@contextmanager
def worker(name: str) -> Iterator[list[int]]:
    """A process named as xdist worker ``name``; the ports it chose, while it holds them."""
    env = {**os.environ, "PYTEST_XDIST_WORKER": name}
    process = subprocess.Popen(
        [sys.executable, "-c", CHOOSER + HOLD],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    try:
        yield [int(port) for port in process.stdout.readline().split()]
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def block_of(port: int) -> int:
    return (port - FIRST_PORT) // BLOCK_SIZE


def test_workers_and_a_second_run_take_ports_from_blocks_of_their_own() -> None:
    with ExitStack() as stack:
        chosen = [stack.enter_context(worker(name)) for name in ("gw0", "gw1", "gw0")]

    blocks = [{block_of(port) for port in ports} for ports in chosen]
    assert all(len(ports) == 3 == len(set(ports)) for ports in chosen), chosen
    assert all(len(block) == 1 for block in blocks), chosen  # one block each
    assert len(set.union(*blocks)) == 3, chosen  # no block shared


def test_the_blocks_lie_below_the_kernels_ephemeral_ports() -> None:
    first_ephemeral = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0]
    last_block_end = FIRST_PORT + BLOCKS * BLOCK_SIZE
    assert last_block_end <= int(first_ephemeral)


def test_a_chosen_port_is_not_chosen_again_soon() -> None:
    ports = [free_port() for _ in range(BLOCK_SIZE // 2)]
    assert len(set(ports)) == len(ports)
