"""The user's processes: the ``actiontrail`` command and ``actiontrail serve``, run for real."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from infrastructure.config import Settings
from tests.ports import free_port

STARTUP_SECONDS = 30
STOP_SECONDS = 15


def process_env(settings: Settings) -> dict[str, str]:
    """This machine's environment with the database of ``settings`` and no token."""
    env = {
        **os.environ,
        "ACTIONTRAIL_DATABASE_URL": settings.database_url,
        "ACTIONTRAIL_DATABASE_SCHEMA": settings.database_schema,
    }
    env.pop("ACTIONTRAIL_TOKEN", None)
    return env


def cli(
    env: dict[str, str], *argv: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``actiontrail ARGV...`` as a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "infrastructure.cli", *argv],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cli_json(env: dict[str, str], *argv: str, token: str | None = None) -> Any:
    """``actiontrail ARGV... --json``, which must succeed; its output as JSON."""
    result = cli(env, *argv, "--json", *([f"--token={token}"] if token else []))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def add_user(env: dict[str, str], name: str, role: str, token: str | None = None) -> str:
    """Add a user with the CLI (the first governance user needs no token); its token."""
    user = cli_json(env, "users", "add", "--name", name, "--role", role, token=token)
    assert user["role"] == role
    assert user["name"] == name
    return str(user["token"])


def start(
    env: dict[str, str], argv: Sequence[str], log: Path, cwd: Path | None = None
) -> "subprocess.Popen[bytes]":
    """``actiontrail ARGV...`` started as a process of its own, its output going to ``log``."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "infrastructure.cli", *argv],
            env=env,
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop(process: "subprocess.Popen[bytes]") -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_SECONDS)


def wait_until_healthy(process: "subprocess.Popen[bytes]", url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop(process)
    pytest.fail(
        f"the server did not answer /health within {STARTUP_SECONDS} s "
        f"(exit code {process.returncode}); its output:\n{log.read_text(errors='replace')}"
    )


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    #: The ``actiontrail serve`` process (with workers, their supervisor).
    pid: int = 0

    def client(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@contextmanager
def serving(
    env: dict[str, str], log: Path, options: Sequence[str] = (), port: int | None = None
) -> Iterator[Server]:
    """``actiontrail serve [OPTIONS]`` on ``port`` (by default a free one) of loopback, healthy,
    stopped on exit."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    argv = ["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = start(env, [*argv, *options], log)
    try:
        wait_until_healthy(process, url, log)
        yield Server(url, log, process.pid)
    finally:
        stop(process)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from ``/proc``), e.g. the workers of ``serve``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def workers_of(pid: int) -> list[int]:
    """The workers uvicorn spawned for ``serve`` (not multiprocessing's resource tracker)."""
    return [
        child
        for child in children(pid)
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def gone(pids: list[int], within: float = 10.0) -> bool:
    """Whether every process of ``pids`` has ended within ``within`` seconds."""
    deadline = time.monotonic() + within
    while any(running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
