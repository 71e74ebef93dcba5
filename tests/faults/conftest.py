"""PostgreSQL behind a proxy the test can cut, blackhole and restore; an address that refuses."""

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from infrastructure.config import Settings
from tests.conftest import POSTGRES_URL, drop_schema, new_schema, require_postgres
from tests.e2e.processes import start, stop, wait_until_healthy
from tests.ports import free_port
from tests.proxy import Proxy


@dataclass(frozen=True)
class Outage:
    """Settings whose database is reached through ``proxy``."""

    settings: Settings
    proxy: Proxy


@pytest.fixture(autouse=True)
def default_database_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The product's own wait for a connection (the suite's is longer): these tests time it."""
    monkeypatch.setenv(
        "ACTIONTRAIL_DATABASE_WAIT_SECONDS",
        str(Settings.model_fields["database_wait_seconds"].default),
    )


@pytest.fixture
def outage() -> Iterator[Outage]:
    require_postgres()
    url = make_url(POSTGRES_URL)
    schema = new_schema()
    with Proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port)
        settings = Settings(
            database_url=proxied.render_as_string(hide_password=False), database_schema=schema
        )
        yield Outage(settings, proxy)
    drop_schema(Settings(database_url=POSTGRES_URL, database_schema=schema))


@pytest.fixture
def unreachable_url() -> str:
    """A PostgreSQL URL with a password, on a port that refuses connections (nothing listens on a
    free port)."""
    return f"postgresql://postgres:s3cret-pw@127.0.0.1:{free_port()}/test"


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
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = start(env, ["serve", "--port", str(self.port)], log, cwd=cwd)

    def wait_until_healthy(self) -> None:
        wait_until_healthy(self.process, self.url, self.log)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        stop(self.process)
