"""Throttling holds across ``serve``'s worker processes (finding 4 of issue 22): failures are
counted in the database, so wrong tokens spread over both workers of PostgreSQL's default
(one process on SQLite) throttle the address on every worker, the right token included."""

from pathlib import Path

import httpx

from infrastructure.config import Settings
from tests.e2e.processes import add_user, process_env, serving, workers_of

WORKERS = {"postgres": ["--workers", "2"], "sqlite": []}


def test_failures_on_any_worker_throttle_the_address_on_all(
    settings: Settings, store: str, tmp_path: Path
) -> None:
    env = process_env(settings)
    token = add_user(env, "Gill Governance", "governance")
    with serving(env, tmp_path / "serve.log", WORKERS[store]) as server:
        if store == "postgres":
            assert len(workers_of(server.pid)) == 2
        answers = []
        for attempt in range(12):
            # A connection each ("Connection: close"), accepted by either worker.
            headers = {"Authorization": f"Bearer at_wrong{attempt}", "Connection": "close"}
            answers.append(httpx.get(f"{server.url}/meetings", headers=headers, timeout=30))
        assert [a.status_code for a in answers] == [401] * 10 + [429] * 2
        for _ in range(4):
            right = httpx.get(
                f"{server.url}/meetings",
                headers={"Authorization": f"Bearer {token}", "Connection": "close"},
                timeout=30,
            )
            assert right.status_code == 429, right.text
            assert 800 < int(right.headers["retry-after"]) <= 900
