"""``actiontrail serve`` as a real process on PostgreSQL, driven over HTTP on loopback.

The user's steps: add the first governance user with the CLI, start the server, wait for
``/health``, record a meeting over HTTP and read it back in the reports.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import drop_schema, make_settings
from tests.e2e.processes import add_user, process_env, serving

CONCERN = "2023-12-04T09:00:00+00:00"
HELD_AT = "2023-12-05T10:00:00+00:00"


@dataclass(frozen=True)
class Server:
    url: str
    governance: str
    reporting: str

    def client(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    settings = make_settings("postgres", tmp_path)
    env = process_env(settings)
    try:
        governance = add_user(env, "Gill Governance", "governance")
        reporting = add_user(env, "Rita Reporting", "reporting", governance)
        with serving(env, tmp_path / "serve.log") as running:
            yield Server(running.url, governance, reporting)
    finally:
        drop_schema(settings)


def ok(client: httpx.Client, path: str, body: dict[str, Any], status: int = 200) -> Any:
    response = client.post(path, json=body)
    assert response.status_code == status, response.text
    return response.json()


def test_a_meeting_recorded_over_http_shows_in_the_reports(server: Server) -> None:
    health = httpx.get(f"{server.url}/health", timeout=10).json()
    assert health == {"status": "ok", "database": "postgresql", "head": 0}

    with server.client(server.governance) as gov, server.client(server.reporting) as reader:
        created = ok(
            gov,
            "/meetings",
            {
                "case_ref": "CASE-E2E",
                "concern_raised_at": CONCERN,
                "kind": "child-protection",
                "team": "Assessment North",
            },
            201,
        )
        meeting = f"/meetings/{created['id']}"
        assert created["version"] == 1
        assert created["position"] == 1

        # Idempotency-Key: the same key again answers the first answer and writes nothing.
        invite = {"agency": "police"}
        first = gov.post(f"{meeting}/invitations", json=invite, headers={"Idempotency-Key": "k1"})
        again = gov.post(f"{meeting}/invitations", json=invite, headers={"Idempotency-Key": "k1"})
        assert first.status_code == again.status_code == 200
        assert first.json() == again.json() == {"id": created["id"], "version": 2, "position": 2}
        ok(gov, f"{meeting}/invitations", {"agency": "health", "role": "mash-nurse"})
        ok(gov, f"{meeting}/held", {"held_at": HELD_AT, "format": "virtual"})
        ok(gov, f"{meeting}/attendance", {"agency": "police", "attended": True})
        last = ok(gov, f"{meeting}/attendance", {"agency": "health", "attended": False})
        assert last["version"] == 6

        # No token: 401; a reporting user's command: 403; both problem details.
        anonymous = httpx.post(f"{server.url}{meeting}/invitations", json=invite, timeout=10)
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"].startswith("application/problem+json")
        forbidden = reader.post(f"{meeting}/invitations", json={"agency": "education"})
        assert forbidden.status_code == 403
        assert forbidden.headers["content-type"].startswith("application/problem+json")

        # A rule of the domain: attendance of an agency never invited.
        refused = gov.post(f"{meeting}/attendance", json={"agency": "education", "attended": True})
        assert refused.status_code == 409, refused.text
        assert refused.json()["detail"]
        # A version conflict: 409 too.
        decision = {"decision": "section-47", "rationale": "Injury", "expected_version": 2}
        stale = gov.post(f"{meeting}/decisions", json=decision)
        assert stale.status_code == 409, stale.text
        # A body that fails validation: 422.
        bad = gov.post(f"{meeting}/held", json={"held_at": "yesterday", "format": "virtual"})
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"].startswith("application/problem+json")

        state = gov.get(meeting).json()
        assert state["version"] == 6
        assert state["status"] == "held"
        assert [i["agency"] for i in state["invited"]] == ["police", "health"]

        history = gov.get(f"{meeting}/history").json()["events"]
        assert [e["version"] for e in history] == [1, 2, 3, 4, 5, 6]
        assert history[0]["type"] == "StrategyMeeting.Requested"
        assert {e["actor"]["role"] for e in history} == {"governance"}

        # Read your writes: the report right after the last command answered.
        report = reader.get(
            "/reports/attendance-compliance",
            params={"from": "2023-12-01", "to": "2023-12-31", "group_by": "month"},
        )
        assert report.status_code == 200, report.text
        (december,) = report.json()["groups"]
        assert december["period"] == "2023-12"
        assert december["meetings_held"] == 1
        agencies = {a["agency"]: a for a in december["agencies"]}
        assert agencies["police"]["invited"] == agencies["police"]["attended"] == 1
        assert agencies["health"]["invited"] == 1
        assert agencies["health"]["attended"] == 0
        assert agencies["childrens-social-care"]["invited"] == 0
        assert december["all_statutory_invited"] == 0

        status = {p["name"]: p for p in gov.get("/projections").json()["projections"]}
        assert {"meetings", "audit_log", "overdue_actions"} <= set(status)
        assert all(p["head"] == 6 and p["position"] + p["lag"] == 6 for p in status.values())
        assert status["meetings"]["position"] == 6
        events = gov.get("/events", params={"after": 0, "limit": 100}).json()
        assert [e["position"] for e in events["events"]] == [1, 2, 3, 4, 5, 6]
        assert events["next_after"] == 6
        assert {e["aggregate_id"] for e in events["events"]} == {created["id"]}
