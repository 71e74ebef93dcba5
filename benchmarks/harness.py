"""What every measure shares: fresh stores, timing, and the rows of the one table."""

import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from infrastructure.config import Settings
from tests.conftest import POSTGRES_URL, drop_schema

Store = Literal["sqlite", "postgres"]
#: How a row's value compares with its goal: at least (a ratio, a rate) or at most (a latency).
Direction = Literal[">=", "<="]


def progress(message: str) -> None:
    """Progress goes to stderr; the table alone to stdout."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextmanager
def fresh_store(store: Store) -> Iterator[Settings]:
    """An empty database: a SQLite file in a temporary folder, or a PostgreSQL schema of its
    own (``ACTIONTRAIL_TEST_POSTGRES_URL``), dropped afterwards."""
    if store == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-") as directory:
            yield Settings(database_url=f"sqlite:///{Path(directory) / 'bench.db'}")
        return
    settings = Settings(database_url=POSTGRES_URL, database_schema=f"bench_{uuid.uuid4().hex[:8]}")
    try:
        yield settings
    finally:
        drop_schema(settings)


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` (0.5: the median, 0.95: p95), nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def latencies_ms(work: Callable[[], object], count: int, warmup: int = 3) -> list[float]:
    """``count`` timings of ``work`` in milliseconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        work()
    return [1000 * seconds(work) for _ in range(count)]


@dataclass(frozen=True)
class Row:
    """One line of the table: a measure's value beside its baseline, and its goal."""

    measure: str
    store: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    #: ``value / baseline`` for rates, ``baseline / value`` for times: 1.0 is the baseline's
    #: speed, lower is slower. ``None`` without a baseline.
    ratio: float | None = None
    goal: float | None = None
    #: Whether the goal applies to the ratio (``"ratio"``) or to the value.
    goal_on: Literal["ratio", "value"] = "value"
    direction: Direction = "<="
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        measured = self.ratio if self.goal_on == "ratio" else self.value
        if measured is None:
            return None
        return measured >= self.goal if self.direction == ">=" else measured <= self.goal

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "met": self.met}


def rate_row(
    measure: str,
    store: str,
    value: float,
    baseline: float,
    baseline_name: str,
    goal: float | None,
    note: str = "",
) -> Row:
    """A rate (events a second) beside a baseline rate; the goal is a least ratio."""
    return Row(
        measure,
        store,
        value,
        "ev/s",
        baseline,
        baseline_name,
        value / baseline if baseline else None,
        goal,
        "ratio",
        ">=",
        note,
    )


def time_row(
    measure: str,
    store: str,
    value: float,
    baseline: float | None = None,
    baseline_name: str = "",
    *,
    goal: float | None = None,
    goal_on: Literal["ratio", "value"] = "value",
    note: str = "",
) -> Row:
    """A time in ms beside a baseline time; the goal is a most time or a least ratio."""
    ratio = baseline / value if baseline is not None and value else None
    direction: Direction = ">=" if goal_on == "ratio" else "<="
    return Row(
        measure, store, value, "ms", baseline, baseline_name, ratio, goal, goal_on, direction, note
    )


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def _goal(row: Row) -> str:
    if row.goal is None:
        return "—"
    target = f"{row.goal:g}x" if row.goal_on == "ratio" else f"{row.goal:g} {row.unit}"
    return f"{row.direction} {target}"


def table(rows: list[Row]) -> str:
    """The rows as one Markdown table."""
    head = ["measure", "store", "value", "baseline", "ratio", "goal", "met?"]
    lines = [f"| {' | '.join(head)} |", f"|{'---|' * len(head)}"]
    for row in rows:
        met = {True: "yes", False: "**no**", None: "—"}[row.met]
        baseline = _number(row.baseline, row.unit)
        if row.baseline_name:
            baseline = f"{baseline} ({row.baseline_name})"
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}"
        measure = f"{row.measure} ({row.note})" if row.note else row.measure
        cells = [measure, row.store, _number(row.value, row.unit), baseline, ratio, _goal(row)]
        lines.append(f"| {' | '.join([*cells, met])} |")
    return "\n".join(lines)
