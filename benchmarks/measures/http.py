"""One command over HTTP: a real ``actiontrail serve`` process (its projections running, as
deployed), one client and eight clients, beside the same command in-process and ``/health``.

Each request opens a connection of its own (``Connection: close``), as the goals are set; the
same command on one kept-alive connection is measured beside it (``keep-alive``). Until the
server's connections had ``TCP_NODELAY`` (``infrastructure/cli/serve.py``), every kept-alive
request after the first waited about 40 ms more for the client's delayed ACK."""

import itertools
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from uuid import UUID

import httpx

from benchmarks.harness import Row, latencies_ms, median, percentile, progress, time_row
from benchmarks.measures.commands import NOTE, CommandTimes
from infrastructure.config import Settings
from tests.e2e.processes import Server, add_user, process_env, serving

CLIENTS = 8
#: Goals of issue 12: p95 of one client, and eight clients' throughput against one client's.
P95_GOAL = {"sqlite": 10.0, "postgres": 15.0}
SCALING_GOAL = {"postgres": 2.5}


@dataclass(frozen=True)
class Run:
    p50: float
    p95: float
    per_second: float


#: Headers of a request on a connection of its own.
CLOSE = {"Connection": "close"}


def one_client(
    client: httpx.Client, actions: list[UUID], count: int, keep_alive: bool = False
) -> Run:
    targets = itertools.cycle(actions)
    headers = {} if keep_alive else CLOSE

    def post() -> None:
        path = f"/actions/{next(targets)}/progress"
        response = client.post(path, json={"note": NOTE}, headers=headers)
        response.raise_for_status()

    started = time.perf_counter()
    samples = latencies_ms(post, count, warmup=0)
    wall = time.perf_counter() - started
    return Run(median(samples), percentile(samples, 0.95), count / wall)


def many_clients(server: Server, token: str, actions: list[UUID], count: int) -> float:
    """Commands a second with ``CLIENTS`` clients at once, each on actions of its own."""
    errors: list[BaseException] = []

    def client_run(mine: list[UUID]) -> None:
        try:
            with server.client(token) as client:
                one_client(client, mine, count)
        except BaseException as error:  # reported after the join
            errors.append(error)

    threads = [
        threading.Thread(target=client_run, args=(actions[i::CLIENTS] or actions,))
        for i in range(CLIENTS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    return CLIENTS * count / wall


def first_user(settings: Settings) -> str:
    """The token of a governance user added to a database that has no user yet."""
    return add_user(process_env(settings), "Bench HTTP", "governance")


def measure(
    store: str,
    settings: Settings,
    actions: list[UUID],
    in_process: CommandTimes,
    count: int,
    repeat: int,
    workers: int = 1,
    token: str | None = None,
) -> list[Row]:
    """The rows of ``actiontrail serve --workers WORKERS``, each name ending with the count;
    the commands sent with ``token``'s governance user (by default, the first one, added)."""
    env = process_env(settings)
    token = token or first_user(settings)
    served = "1 worker" if workers == 1 else f"{workers} workers"
    with (
        tempfile.TemporaryDirectory(prefix="bench-http-") as directory,
        serving(env, Path(directory) / "serve.log", ["--workers", str(workers)]) as server,
    ):
        with server.client(token) as client:
            progress(f"{store}: HTTP ({served}), 1 client, {count} commands x {repeat}")
            one_client(client, actions, 10)
            singles = [one_client(client, actions, count) for _ in range(repeat)]
            kept = [one_client(client, actions, count, True) for _ in range(repeat)]
            health = median(
                [
                    median(latencies_ms(lambda: client.get("/health", headers=CLOSE), count))
                    for _ in range(repeat)
                ]
            )
        progress(
            f"{store}: HTTP ({served}), {CLIENTS} clients, {count // 2} commands each x {repeat}"
        )
        many = median([many_clients(server, token, actions, count // 2) for _ in range(repeat)])
    p50 = median([r.p50 for r in singles])
    p95 = median([r.p95 for r in singles])
    one = median([r.per_second for r in singles])
    floor = 2 * in_process.p50 + health
    rows = [
        time_row(
            "command over HTTP, 1 client (p50)",
            store,
            p50,
            in_process.p50,
            "in-process p50",
            goal=round(floor, 2),
            note="goal: 2x in-process + `/health`",
        ),
        time_row(
            "command over HTTP, 1 client (p95)",
            store,
            p95,
            in_process.p95,
            "in-process p95",
            goal=P95_GOAL[store],
        ),
        time_row("`/health` over HTTP (p50)", store, health),
        time_row(
            "command over HTTP, 1 client, keep-alive (p50)",
            store,
            median([r.p50 for r in kept]),
            p50,
            "a connection each",
            note="informative",
        ),
        Row(
            f"{CLIENTS} HTTP clients vs 1, throughput",
            store,
            many,
            "cmd/s",
            one,
            "1 client",
            many / one,
            SCALING_GOAL.get(store),
            "ratio",
            ">=",
        ),
    ]
    return [replace(row, measure=f"{row.measure}, {served}") for row in rows]
