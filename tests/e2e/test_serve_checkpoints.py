"""``actiontrail serve`` makes the log's checkpoints as it writes: signed with its key, or
unsigned with a warning when it has none; a key it cannot read stops it before it starts."""

import json
import time
from pathlib import Path

from infrastructure.config import Settings
from tests.e2e.processes import add_user, cli, process_env, serving

MEETING = {
    "case_ref": "CASE-1",
    "concern_raised_at": "2023-12-04T09:00:00+00:00",
    "kind": "child-protection",
    "team": "North",
}


def test_a_server_with_a_key_signs_checkpoints_as_it_writes(
    settings: Settings, tmp_path: Path
) -> None:
    key = tmp_path / "signing.pem"
    witness = tmp_path / "witness.jsonl"
    env = process_env(settings)
    assert cli(env, "integrity", "keygen", "--out", str(key)).returncode == 0
    env |= {
        "ACTIONTRAIL_SIGNING_KEY_FILE": str(key),
        "ACTIONTRAIL_CHECKPOINT_EVERY": "5",
        "ACTIONTRAIL_WITNESS_FILE": str(witness),
    }
    token = add_user(env, "Gill Governance", "governance")
    with serving(env, tmp_path / "serve.log") as server, server.client(token) as client:
        for _ in range(6):
            assert client.post("/meetings", json=MEETING).status_code == 201
        deadline = time.monotonic() + 20
        while not witness.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        report = client.get("/integrity").json()
        published = client.get("/integrity/public-key").text
    assert "Checkpoints: signed with key" in server.log.read_text()
    (checkpoint,) = [json.loads(line) for line in witness.read_text().splitlines()]
    assert checkpoint["position"] >= 5
    assert checkpoint["signature"]
    assert (report["status"], report["trust"], report["signed_to"]) == (
        "ok",
        "trusted-key",
        checkpoint["position"],
    )
    assert published == Path(f"{key}.pub").read_text()


def test_a_server_without_a_key_warns_and_serves(settings: Settings, tmp_path: Path) -> None:
    env = process_env(settings)
    token = add_user(env, "Gill Governance", "governance")
    with serving(env, tmp_path / "serve.log") as server, server.client(token) as client:
        assert client.get("/health").status_code == 200
        assert client.post("/meetings", json=MEETING).status_code == 201
    log = server.log.read_text()
    assert "Checkpoints: UNSIGNED: no signing key" in log
    assert "no signing key (ACTIONTRAIL_SIGNING_KEY_FILE or ACTIONTRAIL_SIGNING_KEY)" in log


def test_a_key_that_cannot_be_read_stops_serve_before_it_starts(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "bad.pem").write_text("-----BEGIN PRIVATE KEY-----\nnope\n")
    env = process_env(settings) | {"ACTIONTRAIL_SIGNING_KEY_FILE": str(tmp_path / "bad.pem")}
    result = cli(env, "serve", "--port", "0")
    assert result.returncode == 2
    assert "error: ACTIONTRAIL_SIGNING_KEY_FILE" in result.stderr
    assert "not an Ed25519 private key" in result.stderr
