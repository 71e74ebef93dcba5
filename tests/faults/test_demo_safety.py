"""``actiontrail demo`` replaces only a demo database nobody has open, and on PostgreSQL loads
into the configured schema (when it is empty) rather than writing a SQLite file."""

import json
from pathlib import Path

import httpx
import pytest

from infrastructure.cli import main
from tests.conftest import drop_schema, make_settings
from tests.e2e.processes import cli as actiontrail
from tests.faults.conftest import Serving


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("ACTIONTRAIL_DATABASE_URL", "ACTIONTRAIL_DATABASE_SCHEMA", "ACTIONTRAIL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_a_file_that_is_not_a_demo_is_refused_and_left_alone(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = in_tmp / "notes.db"
    junk.write_bytes(b"somebody's file")
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", "sqlite:///records.db")
    assert main(["users", "add", "--name", "Gill", "--role", "governance", "--json"]) == 0
    records = (in_tmp / "records.db").read_bytes()
    capsys.readouterr()

    assert main(["demo", "--file", "notes.db"]) == 2
    assert main(["demo", "--file", "records.db"]) == 2
    assert main(["demo"]) == 2  # the configured database, records.db

    err = capsys.readouterr().err
    assert err.count(f"error: {in_tmp / 'records.db'} exists and is not a demo database") == 2
    assert f"error: {junk} exists and is not a demo database" in err
    assert f"error: {in_tmp / 'records.db'} exists and is not a demo database" in err
    assert junk.read_bytes() == b"somebody's file"
    assert (in_tmp / "records.db").read_bytes() == records


def test_a_demo_file_a_server_has_open_is_refused_and_keeps_serving(
    in_tmp: Path, cli_env: dict[str, str]
) -> None:
    first = actiontrail(cli_env, "demo", "--json", cwd=in_tmp)
    assert first.returncode == 0, first.stderr
    token = json.loads(first.stdout)["token"]
    assert "ACTIONTRAIL_DATABASE_URL" not in cli_env  # serve opens the demo's file by default
    server = Serving(cli_env, in_tmp / "serve.log", cwd=in_tmp)
    try:
        server.wait_until_healthy()

        again = actiontrail(cli_env, "demo", cwd=in_tmp)

        assert again.returncode == 2
        assert again.stderr == (
            f"error: {in_tmp / 'actiontrail.db'} is open in another process (a server "
            "or worker on it?); stop that process first, or choose another --file\n"
        )
        users = httpx.get(
            f"{server.url}/users", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert users.status_code == 200, users.text
        assert httpx.get(f"{server.url}/health", timeout=10).json()["head"] == 319
    finally:
        server.stop()

    replaced = actiontrail(cli_env, "demo", "--json", cwd=in_tmp)
    assert replaced.returncode == 0, replaced.stderr
    assert json.loads(replaced.stdout)["token"] != token


def test_after_the_demo_commands_find_its_database_without_a_setting(
    in_tmp: Path, cli_env: dict[str, str]
) -> None:
    demo = actiontrail(cli_env, "demo", "--json", cwd=in_tmp)
    assert demo.returncode == 0, demo.stderr
    summary = json.loads(demo.stdout)
    assert summary["database"] == f"SQLite file {in_tmp / 'actiontrail.db'}"

    report = actiontrail(
        cli_env,
        "report",
        "overdue",
        "--as-of",
        "2024-04-01",
        "--json",
        "--token",
        summary["token"],
        cwd=in_tmp,
    )

    assert report.returncode == 0, report.stderr
    assert len(json.loads(report.stdout)["rows"]) == 5
    assert sorted(path.name for path in in_tmp.glob("*.db")) == ["actiontrail.db"]


def test_demo_on_postgresql_loads_into_the_configured_schema_once(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings("postgres", in_tmp)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_SCHEMA", settings.database_schema)
    try:
        assert main(["demo", "--json"]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert summary["events_written"] == 319
        assert summary["database"].endswith(f"schema {settings.database_schema}")
        assert summary["serve"].startswith(
            f"ACTIONTRAIL_DATABASE_SCHEMA={settings.database_schema} actiontrail serve"
        )
        assert not list(in_tmp.glob("*.db"))  # no SQLite file instead

        token = f"--token={summary['token']}"
        assert main(["report", "quality", "--audit-ref", "SM-AUDIT-2023", "--json", token]) == 0
        assert json.loads(capsys.readouterr().out)["assessed"] == 10

        assert main(["demo"]) == 2
        assert (
            f"error: schema {settings.database_schema} already holds an earlier demo; demo loads "
            "only into an empty schema" in capsys.readouterr().err
        )
    finally:
        drop_schema(settings)


def test_demo_refuses_a_postgresql_schema_holding_other_data(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings("postgres", in_tmp)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_SCHEMA", settings.database_schema)
    try:
        assert main(["users", "add", "--name", "Gill", "--role", "governance", "--json"]) == 0
        capsys.readouterr()

        assert main(["demo"]) == 2

        err = capsys.readouterr().err
        assert f"error: schema {settings.database_schema} already holds tables (users)" in err
        assert main(["users", "list", "--json", "--token=x"]) == 4  # Gill's data still there
    finally:
        drop_schema(settings)
