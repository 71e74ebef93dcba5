"""A database outage under a real ``actiontrail serve``: what clients see, and how fast it heals.

Starts ``serve`` on PostgreSQL reached through a loopback proxy (the database itself is never
touched), then:

- cut: the proxy refuses and drops every connection for ``--seconds``; clients keep sending
  commands, reports and ``/health``; prints the answers' status codes and latencies, and how
  long after the proxy is restored a command succeeds again;
- blackhole: the proxy accepts but answers nothing while 50 other requests hang on it; prints
  ``/health``'s status codes and latencies.

Usage: ``.venv/bin/python -m benchmarks.outage [--seconds 20]``. PostgreSQL comes from
``ACTIONTRAIL_TEST_POSTGRES_URL`` (default the local ``test`` database), in a schema of its own
that is dropped afterwards.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg.sql import SQL, Identifier
from sqlalchemy.engine import make_url

from tests.proxy import Proxy

POSTGRES_URL = os.environ.get(
    "ACTIONTRAIL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
MEETING = {
    "case_ref": "CASE-OUTAGE",
    "concern_raised_at": "2023-06-13T09:30:00+01:00",
    "kind": "child-protection",
    "team": "North",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "infrastructure.cli", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def timed(method: str, url: str, **options: Any) -> tuple[int | str, float]:
    started = time.monotonic()
    try:
        status: int | str = httpx.request(method, url, timeout=60, **options).status_code
    except httpx.HTTPError as error:
        status = type(error).__name__
    return status, time.monotonic() - started


def summary(title: str, answers: list[tuple[int | str, float]]) -> None:
    by_status: dict[int | str, list[float]] = defaultdict(list)
    for status, seconds in answers:
        by_status[status].append(seconds)
    print(f"{title}: {len(answers)} requests")
    for status, times in sorted(by_status.items(), key=str):
        print(
            f"  {status}: {len(times)}, latency mean {sum(times) / len(times):.2f} s, "
            f"max {max(times):.2f} s"
        )


def cut(proxy: Proxy, url: str, auth: dict[str, str], seconds: float) -> None:
    proxy.cut()
    answers = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        answers.append(timed("POST", f"{url}/meetings", json=MEETING, headers=auth))
        answers.append(timed("GET", f"{url}/reports/overdue-actions", headers=auth))
        answers.append(timed("GET", f"{url}/health"))
    proxy.restore()
    back = time.monotonic()
    while timed("POST", f"{url}/meetings", json=MEETING, headers=auth)[0] != 201:
        time.sleep(0.05)
    summary(f"database cut for {seconds:.0f} s", answers)
    print(f"  a command succeeded {time.monotonic() - back:.2f} s after the database came back")


def blackhole(proxy: Proxy, url: str, token: str) -> None:
    proxy.blackhole()
    stuck = [
        subprocess.Popen(
            [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-m",
                "120",
                "-H",
                f"Authorization: Bearer {token}",
                f"{url}/meetings",
            ]
        )
        for _ in range(50)
    ]
    time.sleep(0.5)
    answers = []
    for _ in range(16):
        answers.append(timed("GET", f"{url}/health"))
        time.sleep(0.5)
    proxy.restore()
    for process in stuck:
        process.wait()
    summary("/health while the database is silent and 50 requests hang on it", answers)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.outage")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    database = make_url(POSTGRES_URL)
    schema = f"outage_{uuid.uuid4().hex[:10]}"
    with Proxy(database.host or "127.0.0.1", database.port or 5432) as proxy:
        proxied = database.set(host="127.0.0.1", port=proxy.port)
        env = {
            **os.environ,
            "ACTIONTRAIL_DATABASE_URL": proxied.render_as_string(hide_password=False),
            "ACTIONTRAIL_DATABASE_SCHEMA": schema,
        }
        added = subprocess.run(
            [
                sys.executable,
                "-m",
                "infrastructure.cli",
                "users",
                "add",
                "--name",
                "Gill",
                "--role",
                "governance",
                "--json",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        token = json.loads(added.stdout)["token"]
        try:
            with tempfile.TemporaryDirectory() as tmp, server(env, Path(tmp) / "serve.log") as url:
                cut(proxy, url, {"Authorization": f"Bearer {token}"}, args.seconds)
                blackhole(proxy, url, token)
        finally:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))


if __name__ == "__main__":
    main()
