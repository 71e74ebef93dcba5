"""``actiontrail verify`` and ``actiontrail integrity``, as processes of their own beside the
writers: exit 0 verified and signed, 11 broken, 12 unverifiable; each refusal a clear line."""

import json
from pathlib import Path

from infrastructure.bootstrap import build_services
from infrastructure.config import Settings
from tests.builders import write_import_file
from tests.e2e.processes import add_user, cli, process_env
from tests.integrity.conftest import write_until
from tests.integrity.tamper import Tamper


def signing_env(settings: Settings, tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = process_env(settings)
    key = tmp_path / "signing.pem"
    made = cli(env, "integrity", "keygen", "--out", str(key), "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["public_key"] == f"{key}.pub"
    return {**env, "ACTIONTRAIL_SIGNING_KEY_FILE": str(key)}, key


def test_verify_says_verified_unverifiable_or_broken(settings: Settings, tmp_path: Path) -> None:
    with build_services(settings) as services:
        head = write_until(services, 30)
    signing, key = signing_env(settings, tmp_path)
    unsigned = cli(signing, "verify")
    assert unsigned.returncode == 12, unsigned.stderr
    assert "unverifiable: the chain recomputes, but it has no checkpoint yet" in unsigned.stderr

    made = cli(signing, "integrity", "checkpoint")
    assert made.returncode == 0, made.stderr
    assert f"Checkpoint 1: position {head:,}" in made.stdout

    verified = cli(signing, "verify", "--json")
    assert verified.returncode == 0, verified.stderr
    report = json.loads(verified.stdout)
    assert (report["status"], report["trust"], report["signed_to"]) == ("ok", "trusted-key", head)

    inspector = process_env(settings)  # no signing key: trusts only what it is given
    assert cli(inspector, "verify").returncode == 12
    assert cli(inspector, "verify", "--public-key", f"{key}.pub").returncode == 0

    Tamper(settings).change_state_byte(head - 3)
    broken = cli(inspector, "verify", "--public-key", f"{key}.pub")
    assert broken.returncode == 11
    assert f"error: the log does not verify at position {head - 3}: state-changed" in broken.stderr
    assert f"Verified: positions 1 to {head - 4:,}" in broken.stdout

    with build_services(settings) as services:
        later = write_until(services, head + 1)
    Tamper(settings).change_state_byte(later)
    refused = cli(signing, "integrity", "checkpoint")  # checks what follows checkpoint 1
    assert refused.returncode == 11
    assert f"no checkpoint made: position {later}: state-changed" in refused.stderr


def test_verify_refuses_what_it_cannot_use(settings: Settings, tmp_path: Path) -> None:
    with build_services(settings) as services:
        write_until(services, 5)
    env = process_env(settings)
    cases = [
        (("verify", "--from", "9"), 5, "no checkpoint with id 9"),
        (("verify", "--from", "first"), 2, "expected a checkpoint number"),
        (("verify", "--witness", str(tmp_path / "none.jsonl")), 2, "--witness: no file at"),
        (("verify", "--public-key", str(tmp_path / "none.pem")), 2, "cannot read"),
    ]
    for argv, code, message in cases:
        result = cli(env, *argv)
        assert (result.returncode, message in result.stderr) == (code, True), result.stderr
    (tmp_path / "bad.pem").write_text("not a key")
    bad_key = cli({**env, "ACTIONTRAIL_SIGNING_KEY_FILE": str(tmp_path / "bad.pem")}, "verify")
    assert bad_key.returncode == 2
    assert "not an Ed25519 private key" in bad_key.stderr
    (tmp_path / "taken.pem").write_text("")
    taken = cli(env, "integrity", "keygen", "--out", str(tmp_path / "taken.pem"))
    assert taken.returncode == 2
    assert "exists" in taken.stderr


def test_an_import_process_leaves_a_signed_checkpoint_when_one_is_due(
    settings: Settings, tmp_path: Path
) -> None:
    signing, _ = signing_env(settings, tmp_path)
    signing["ACTIONTRAIL_CHECKPOINT_EVERY"] = "100"
    signing["ACTIONTRAIL_WITNESS_FILE"] = str(tmp_path / "witness.jsonl")
    token = add_user(signing, "Importer", "governance")
    path = write_import_file(tmp_path / "import.json", 10)
    imported = cli(signing, "import", str(path), f"--token={token}")
    assert imported.returncode == 0, imported.stderr
    witnessed = [json.loads(line) for line in (tmp_path / "witness.jsonl").read_text().splitlines()]
    assert [(c["seq"], c["position"]) for c in witnessed] == [(1, 140)]
    assert witnessed[0]["signature"]
    assert cli(signing, "verify").returncode == 0
