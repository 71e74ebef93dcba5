"""Faults on the command line: an unreachable database (exit 7), a port in use (exit 8), a
SQLite file that is not there (exit 2), and ``serve`` naming the database it opened."""

import json
import socket
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from infrastructure.cli import main
from tests.conftest import POSTGRES_URL, drop_schema, make_settings
from tests.e2e.processes import cli as actiontrail
from tests.faults.conftest import Serving

UNAVAILABLE = "error: database unavailable: PostgreSQL database test on 127.0.0.1:"


@pytest.mark.parametrize(
    "argv",
    [
        ("users", "list", "--token", "at_x"),
        ("projections", "status"),
        ("report", "overdue", "--token", "at_x"),
        ("users", "add", "--name", "Gill", "--role", "governance"),
    ],
)
def test_an_unreachable_database_is_one_error_line_and_exit_7(
    argv: tuple[str, ...],
    unreachable_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", unreachable_url)
    started = time.monotonic()

    code = main(list(argv))

    assert time.monotonic() - started < 6
    err = capsys.readouterr().err
    assert code == 7
    assert err.startswith(UNAVAILABLE), err
    assert "Connection refused" in err
    assert err.count("\n") == 1
    assert "s3cret" not in err


def test_serve_with_an_unreachable_database_says_so_in_one_line(
    unreachable_url: str, cli_env: dict[str, str]
) -> None:
    cli_env["ACTIONTRAIL_DATABASE_URL"] = unreachable_url

    result = actiontrail(cli_env, "serve", "--port", "0")

    assert result.returncode == 7, result.stderr
    assert result.stderr.startswith(UNAVAILABLE)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


def test_serve_on_a_port_in_use_names_it_and_exits_8(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    cli_env["ACTIONTRAIL_DATABASE_URL"] = f"sqlite:///{tmp_path}/actiontrail.db"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = actiontrail(cli_env, "serve", "--host", "127.0.0.1", "--port", str(port))

    assert result.returncode == 8
    assert result.stderr == (
        f"error: port {port} on 127.0.0.1 is in use; choose another with --port\n"
    )
    assert "startup" not in result.stdout + result.stderr
    assert not (tmp_path / "actiontrail.db").exists()  # refused before opening anything


def test_serve_names_the_sqlite_file_it_created_and_a_second_serve_is_refused(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    (tmp_path / "elsewhere").mkdir()
    cli_env["ACTIONTRAIL_DATABASE_URL"] = "sqlite:///data/new.db"
    (tmp_path / "data").mkdir()
    server = Serving(cli_env, tmp_path / "serve.log", cwd=tmp_path)
    try:
        server.wait_until_healthy()
        database = tmp_path / "data" / "new.db"
        assert f"Database: SQLite file {database} (it did not exist: created, empty)" in (
            server.output()
        )
        assert database.exists()

        second = actiontrail(cli_env, "serve", "--port", str(server.port), cwd=tmp_path)
        assert second.returncode == 8, second.stderr
    finally:
        server.stop()


def test_serve_names_the_postgresql_database_without_its_password(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    settings = make_settings("postgres", tmp_path)
    url = make_url(POSTGRES_URL)
    with_password = url.set(password="s3cret-pw").render_as_string(hide_password=False)
    assert "s3cret" in with_password
    cli_env["ACTIONTRAIL_DATABASE_URL"] = with_password  # trust auth: the password is ignored
    cli_env["ACTIONTRAIL_DATABASE_SCHEMA"] = settings.database_schema
    server = Serving(cli_env, tmp_path / "serve.log")
    try:
        server.wait_until_healthy()
        assert (
            f"Database: PostgreSQL database {url.database} on {url.host}:{url.port or 5432} as "
            f"{url.username}, schema {settings.database_schema}\n" in server.output()
        )
        assert "s3cret" not in server.output()
    finally:
        server.stop()
        drop_schema(settings)


@pytest.mark.parametrize(
    "argv",
    [
        ("users", "list", "--token", "at_x"),
        ("report", "overdue", "--token", "at_x"),
        ("history", "00000000-0000-0000-0000-000000000001", "--token", "at_x"),
        ("projections", "status"),
        ("projections", "run"),
        ("import", "rows.json", "--token", "at_x"),
        ("users", "add", "--name", "Ian", "--role", "inspector"),
    ],
)
def test_a_missing_sqlite_file_is_refused_not_created(
    argv: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", "sqlite:///actiontrail-demo.db")
    (tmp_path / "rows.json").write_text(json.dumps({"format": "actiontrail-import/1"}))

    code = main(list(argv))

    err = capsys.readouterr().err
    database = tmp_path / "actiontrail-demo.db"
    assert not database.exists()
    if argv[:2] == ("users", "add"):
        assert code == 4
        assert f"the first user must have the governance role: no database at {database}" in err
        return
    assert code == 2
    assert err == (
        f"error: no database at {database} (ACTIONTRAIL_DATABASE_URL); run actiontrail demo "
        "or check the path\n"
    )


def test_the_first_governance_user_creates_the_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", "sqlite:///new.db")

    code = main(["users", "add", "--name", "Gill", "--role", "governance", "--json"])

    assert code == 0
    assert (tmp_path / "new.db").exists()
    assert f"Created a new database: SQLite file {tmp_path / 'new.db'}" in capsys.readouterr().err
