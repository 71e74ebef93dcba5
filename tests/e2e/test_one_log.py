"""One log whatever the process: the CLI and ``actiontrail serve``, run as separate processes on
one database, each see what the other wrote; a schema holding a second event table is refused."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.application import Application
from psycopg.sql import SQL, Identifier

from infrastructure.bootstrap import eventsourcing_env
from infrastructure.config import Settings
from infrastructure.storage.database import postgres_conninfo
from tests.conftest import drop_schema, make_settings
from tests.e2e.processes import add_user, cli, cli_json, process_env, serving
from tests.ports import free_port

pytestmark = pytest.mark.slow

IMPORT = {
    "format": "actiontrail-import/1",
    "meetings": [
        {
            "ref": "M-1",
            "case_ref": "CASE-IMPORTED",
            "concern_raised_at": "2023-12-04T09:00:00+00:00",
            "kind": "child-protection",
            "team": "North",
            "invitations": [{"agency": "police"}, {"agency": "health"}],
            "held": {"held_at": "2023-12-05T10:00:00+00:00", "format": "virtual"},
        }
    ],
}
IMPORTED_EVENTS = 4


@pytest.fixture
def settings(store: str, tmp_path: Path) -> Iterator[Settings]:
    chosen = make_settings(store, tmp_path)
    yield chosen
    drop_schema(chosen)


def test_cli_and_server_share_one_log(settings: Settings, tmp_path: Path) -> None:
    env = process_env(settings)
    governance = add_user(env, "Gill Governance", "governance")
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(IMPORT))
    imported = cli_json(env, "import", str(source), token=governance)
    assert imported["events_written"] == IMPORTED_EVENTS

    with serving(env, tmp_path / "serve.log") as server, server.client(governance) as gov:
        assert gov.get("/health").json()["head"] == IMPORTED_EVENTS
        feed = gov.get("/events", params={"after": 0, "limit": 100}).json()["events"]
        assert feed[0]["type"] == "StrategyMeeting.Requested"
        meeting_id = feed[0]["aggregate_id"]
        state = gov.get(f"/meetings/{meeting_id}").json()
        assert state["case_ref"] == "CASE-IMPORTED"
        assert state["status"] == "held"

        body = {
            "case_ref": "CASE-OVER-HTTP",
            "concern_raised_at": "2023-12-06T09:00:00+00:00",
            "kind": "missing",
            "team": "South",
        }
        created = gov.post("/meetings", json=body)
        assert created.status_code == 201, created.text
        assert created.json()["position"] == IMPORTED_EVENTS + 1
        served = {p["name"]: p for p in gov.get("/projections").json()["projections"]}

        # The CLI, while the server runs, reads what the server wrote.
        history = cli_json(env, "history", created.json()["id"], token=governance)
        assert [e["type"] for e in history["events"]] == ["StrategyMeeting.Requested"]
        assert history["state"]["case_ref"] == "CASE-OVER-HTTP"
        status = cli_json(env, "projections", "status", token=governance)
        assert {p["name"]: p["head"] for p in status["projections"]} == dict.fromkeys(
            served, IMPORTED_EVENTS + 1
        )
        assert all(p["head"] == IMPORTED_EVENTS + 1 for p in served.values())

        # And the server reads what the CLI writes while it runs.
        reporting = add_user(env, "Rita Reporting", "reporting", governance)
        with server.client(reporting) as reader:
            report = reader.get("/reports/attendance-compliance", params=_december())
            assert report.status_code == 200, report.text
            assert report.json()["groups"][0]["meetings_held"] == 1
        cli_json(env, "import", str(source), token=governance)
        assert gov.get("/health").json()["head"] == IMPORTED_EVENTS + 1


def _december() -> dict[str, Any]:
    return {"from": "2023-12-01", "to": "2023-12-31", "group_by": "month"}


def test_a_schema_with_a_second_event_table_is_refused(tmp_path: Path) -> None:
    settings = make_settings("postgres", tmp_path)
    try:
        _write_legacy_server_log(settings)
        env = process_env(settings)
        for argv in (["projections", "status"], ["serve", "--port", str(free_port())]):
            result = cli(env, *argv)
            assert result.returncode == 2, result.stderr
            (line,) = result.stderr.strip().splitlines()
            assert "notifyingactiontrail_events" in line
            assert "actiontrail_events" in line
            assert "ACTIONTRAIL_DATABASE_SCHEMA" in line
    finally:
        drop_schema(settings)


def _write_legacy_server_log(settings: Settings) -> None:
    """The event table an older ``actiontrail serve`` wrote (named after its class)."""
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(settings.database_schema)))

    class NotifyingActionTrail(Application):  # type: ignore[type-arg]
        pass

    env = eventsourcing_env(settings)
    env.pop("APPLICATION_RECORDER_TOPIC")
    NotifyingActionTrail(env=env).close()
