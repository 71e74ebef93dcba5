"""PostgreSQL behind a proxy the test can cut, blackhole and restore; an address that refuses."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from infrastructure.config import Settings
from tests.conftest import POSTGRES_URL, RUN_ID, drop_schema, require_postgres
from tests.proxy import Proxy


@dataclass(frozen=True)
class Outage:
    """Settings whose database is reached through ``proxy``."""

    settings: Settings
    proxy: Proxy


@pytest.fixture
def outage() -> Iterator[Outage]:
    require_postgres()
    url = make_url(POSTGRES_URL)
    schema = f"t_{RUN_ID}_{uuid.uuid4().hex[:10]}"
    with Proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port)
        settings = Settings(
            database_url=proxied.render_as_string(hide_password=False), database_schema=schema
        )
        yield Outage(settings, proxy)
    drop_schema(Settings(database_url=POSTGRES_URL, database_schema=schema))


def closed_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unreachable_url() -> str:
    """A PostgreSQL URL with a password, on a port that refuses connections."""
    return f"postgresql://postgres:s3cret-pw@127.0.0.1:{closed_port()}/test"


def timed(action: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def until(check: Callable[[], bool], within: float) -> float:
    """Seconds until ``check()`` holds; fails the test after ``within`` seconds."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > within:
            pytest.fail(f"not within {within} s")
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a command-line subprocess: no token, no database chosen yet."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONTRAIL_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


Completed = subprocess.CompletedProcess[str]


class Serving:
    """``actiontrail serve`` as a process, with its output in a file."""

    def __init__(self, env: dict[str, str], log: Path, cwd: Path | None = None) -> None:
        self.port = closed_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "infrastructure.cli", "serve", "--port", str(self.port)],
                env=env,
                cwd=cwd,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(f"serve did not become healthy:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
