"""``actiontrail serve --workers N``: uvicorn's supervisor and N worker processes sharing one
socket, each with its own projection runner.

On PostgreSQL, commands sent on connections of their own land on either worker; each is read
back at once (read your writes) whichever worker answers the read. Stopping the server stops
every worker. SQLite refuses more than one worker and serves with one process by default.
Started as a script's background job (``actiontrail serve &``: SIGINT ignored), ``serve``, with
workers or without, says where it serves once ready and still ends on Ctrl-C as interrupted.
"""

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from infrastructure.config import Settings
from tests.e2e.processes import (
    STARTUP_SECONDS,
    STOP_SECONDS,
    add_user,
    children,
    cli,
    gone,
    process_env,
    running,
    serving,
    start,
    wait_until_healthy,
    workers_of,
)
from tests.ports import free_port

COMMANDS = 12
CONCERN = "2023-12-04T09:00:00+00:00"


@pytest.mark.parametrize("store", ["postgres"])
def test_two_workers_read_their_writes_and_stop_together(
    settings: Settings, store: str, tmp_path: Path
) -> None:
    env = process_env(settings)
    token = add_user(env, "Gill Governance", "governance")
    headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
    with serving(env, tmp_path / "serve.log", ["--workers", "2"]) as server:
        workers = workers_of(server.pid)
        assert len(workers) == 2, server.log.read_text()
        everyone = [server.pid, *children(server.pid)]
        created = []
        for number in range(COMMANDS):
            # A client each: a connection of its own, accepted by either worker.
            with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
                answer = client.post(
                    "/meetings",
                    json={
                        "case_ref": f"CASE-W{number}",
                        "concern_raised_at": CONCERN,
                        "kind": "child-protection",
                        "team": "Assessment North",
                    },
                )
                assert answer.status_code == 201, answer.text
                created.append(answer.json()["id"])
            with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
                audit = client.get("/audit-log", params={"aggregate_id": created[-1]})
                assert audit.status_code == 200, audit.text
                assert [e["aggregate_id"] for e in audit.json()["events"]] == [created[-1]]
            with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
                listed = client.get("/meetings", params={"limit": 1000})
                assert listed.status_code == 200, listed.text
                assert [m["id"] for m in listed.json()["items"]] == created
        assert sorted(workers_of(server.pid)) == sorted(workers)  # none died and was replaced
    assert gone(everyone), [pid for pid in everyone if running(pid)]


@pytest.mark.parametrize("store", ["postgres"])
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, -signal.SIGTERM)])
def test_a_signal_stops_every_worker_and_ends_serve_as_one_process_does(
    settings: Settings, store: str, tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    """Ctrl-C: exit 130 (``interrupted``); SIGTERM: ended by it; as ``serve`` with one process."""
    port = free_port()
    log = tmp_path / "serve.log"
    argv = ["serve", "--port", str(port), "--workers", "2", "--log-level", "warning"]
    process = start(process_env(settings), argv, log)
    try:
        wait_until_healthy(process, f"http://127.0.0.1:{port}", log)
        everyone = [process.pid, *children(process.pid)]
        assert len(workers_of(process.pid)) == 2
        process.send_signal(sig)
        assert process.wait(timeout=STOP_SECONDS) == code, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert gone(everyone), [pid for pid in everyone if running(pid)]


@contextmanager
def sigint_ignored() -> Iterator[None]:
    """SIGINT ignored, as the shell does for a script's background job: what a process started
    meanwhile inherits."""
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)


def announcement(stderr: Path, within: float = STARTUP_SECONDS) -> str:
    """The line ``serve`` says once ready, as soon as it is on standard error."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        lines = [line for line in stderr.read_text().splitlines() if "serving" in line]
        if lines:
            return lines[0]
        time.sleep(0.05)
    pytest.fail(f"serve said nothing within {within} s:\n{stderr.read_text()}")


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_serve_started_in_the_background_says_where_once_ready_and_ends_on_ctrl_c(
    settings: Settings, store: str, tmp_path: Path
) -> None:
    """On PostgreSQL with 2 workers, on SQLite with its one process."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    workers = 2 if store == "postgres" else 1
    argv = ["serve", "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    stdout, stderr = tmp_path / "serve.out", tmp_path / "serve.err"
    with stdout.open("wb") as out, stderr.open("wb") as err, sigint_ignored():
        process = subprocess.Popen(
            [sys.executable, "-m", "infrastructure.cli", *argv],
            env=process_env(settings),
            stdout=out,
            stderr=err,
        )
    try:
        line = announcement(stderr)
        everyone = [process.pid, *children(process.pid)]
        assert len(workers_of(process.pid)) == (workers if workers > 1 else 0)
        processes = "2 workers" if workers > 1 else "1 worker"
        assert line == (
            f"actiontrail serving {url} (console: {url}/console, API docs: {url}/docs), "
            f"{processes}; Ctrl-C to stop"
        )
        # Said once ready: the server answers at once, at the addresses said.
        for path in ("/health", "/console", "/docs"):
            answer = httpx.get(f"{url}{path}", follow_redirects=True, timeout=10)
            assert answer.status_code == 200, (path, answer.text)
        assert "serving" not in stdout.read_text()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=STOP_SECONDS) == 130, stderr.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert gone(everyone), [pid for pid in everyone if running(pid)]
    said = stderr.read_text()
    assert said.count("actiontrail serving") == 1, said
    assert "error: interrupted" in said


@pytest.mark.parametrize("store", ["sqlite"])
def test_sqlite_refuses_more_than_one_worker(settings: Settings, store: str) -> None:
    result = cli(process_env(settings), "serve", "--port", "0", "--workers", "2")
    assert result.returncode == 2, result.stderr
    assert "SQLite has one writer" in result.stderr


@pytest.mark.parametrize("store", ["sqlite"])
def test_sqlite_serves_with_one_process_by_default(
    settings: Settings, store: str, tmp_path: Path
) -> None:
    with serving(process_env(settings), tmp_path / "serve.log") as server:
        assert workers_of(server.pid) == []
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200


@pytest.mark.parametrize("count", ["0", "-1", "two"])
def test_workers_below_one_is_a_usage_error(count: str, tmp_path: Path) -> None:
    env = process_env(Settings(database_url=f"sqlite:///{tmp_path}/actiontrail.db"))
    result = cli(env, "serve", "--workers", count)
    assert result.returncode == 2
    assert "--workers" in result.stderr


@pytest.mark.parametrize("store", ["postgres"])
def test_a_worker_that_cannot_start_fails_serve(settings: Settings, store: str) -> None:
    """As with one process: exit 1 and a clear line, the supervisor and the others stopped."""
    script = (
        "import sys; import infrastructure.cli.serve as serve; "
        "serve.APP_FACTORY = 'infrastructure.web.app:no_such_factory'; "
        "from infrastructure.cli import main; "
        "sys.exit(main(['serve', '--port', '0', '--workers', '2', '--log-level', 'warning']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=process_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "error: the server did not start; see the log above" in result.stderr
    assert "no_such_factory" in result.stderr
    assert "serving" not in result.stderr
