"""Rebuild: the rate of a full rebuild of every projection (a child process, as
``actiontrail projections rebuild``) beside the library's raw read+decode rate of the same
log; and the rebuild's peak memory at two sizes of log."""

import json
import subprocess
import sys
from dataclasses import dataclass

from benchmarks.harness import Row, median, progress, rate_row
from benchmarks.rebuild import raw_rate
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.rebuild import REBUILD_BATCH
from tests.e2e.processes import process_env

#: Goals of issue 12: rebuild at least half the raw rate; memory at the larger size at most
#: 1.2 times that at the smaller.
RATE_GOAL = 0.5
MEMORY_GOAL = 1.2


@dataclass(frozen=True)
class Rebuilt:
    rate: float
    peak_mib: float


def rebuild_in_child(settings: Settings) -> tuple[float, float]:
    """A rebuild in a process of its own: its rate (ev/s) and peak memory (MiB)."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.measures.child", "rebuild"],
        env=process_env(settings),
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(result.stdout.splitlines()[-1])
    return answer["events"] / answer["seconds"], answer["peak_mib"]


def rebuilt(settings: Settings, repeat: int) -> Rebuilt:
    runs = [rebuild_in_child(settings) for _ in range(repeat)]
    return Rebuilt(median([r for r, _ in runs]), median([m for _, m in runs]))


def raw_read_rate(settings: Settings, repeat: int) -> float:
    app = build_application(settings)
    try:
        rates = []
        for _ in range(repeat):
            count, seconds = raw_rate(app, REBUILD_BATCH)
            rates.append(count / seconds)
        return median(rates)
    finally:
        app.close()


def measure(
    store: str, large: Settings, small: Settings, sizes: tuple[int, int], repeat: int
) -> list[Row]:
    progress(f"{store}: raw read+decode, {sizes[1]} events")
    raw = raw_read_rate(large, repeat)
    progress(f"{store}: rebuild, {sizes[1]} events")
    big = rebuilt(large, repeat)
    progress(f"{store}: rebuild, {sizes[0]} events")
    little = rebuilt(small, repeat)
    growth = big.peak_mib / little.peak_mib
    return [
        rate_row(
            f"rebuild, {sizes[1]:,} events", store, big.rate, raw, "raw read+decode", RATE_GOAL
        ),
        Row(
            f"rebuild peak memory, {sizes[0]:,} → {sizes[1]:,} events",
            store,
            big.peak_mib,
            "MiB",
            little.peak_mib,
            f"at {sizes[0]:,}",
            growth,
            MEMORY_GOAL,
            "ratio",
            "<=",
            "ratio = larger ÷ smaller",
        ),
    ]
