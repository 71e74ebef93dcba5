"""``actiontrail verify`` and ``actiontrail integrity``: exit 0 verified and signed, 11 broken, 12
unverifiable; each refusal a clear line.

In-process (``run``), as the other CLI tests; the exit status a process gives is proven by real
processes beside the writers: a broken log (11) here, a verified one (0) after an import process.
"""

import json
from pathlib import Path

import pytest

from infrastructure.bootstrap import build_services
from infrastructure.config import Settings
from tests.builders import write_import_file
from tests.cli.conftest import Run
from tests.e2e.processes import add_user, cli, process_env
from tests.integrity.conftest import write_until
from tests.integrity.tamper import Tamper

SIGNING_KEY = "ACTIONTRAIL_SIGNING_KEY_FILE"


def keygen(run: Run, tmp_path: Path) -> Path:
    key = tmp_path / "signing.pem"
    made = run("integrity", "keygen", "--out", str(key), "--json")
    assert made.code == 0, made.err
    assert made.json()["public_key"] == f"{key}.pub"
    return key


def test_verify_says_verified_unverifiable_or_broken(
    settings: Settings, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    with build_services(settings) as services:
        head = write_until(services, 30)
    key = keygen(run, tmp_path)
    monkeypatch.setenv(SIGNING_KEY, str(key))
    unsigned = run("verify")
    assert unsigned.code == 12, unsigned.err
    assert "unverifiable: the chain recomputes, but it has no checkpoint yet" in unsigned.err

    made = run("integrity", "checkpoint")
    assert made.code == 0, made.err
    assert f"Checkpoint 1: position {head:,}" in made.out

    verified = run("verify", "--json")
    assert verified.code == 0, verified.err
    report = verified.json()
    assert (report["status"], report["trust"], report["signed_to"]) == ("ok", "trusted-key", head)

    monkeypatch.delenv(SIGNING_KEY)  # an inspector: trusts only what it is given
    assert run("verify").code == 12
    assert run("verify", "--public-key", f"{key}.pub").code == 0

    Tamper(settings).change_state_byte(head - 3)
    broken = cli(process_env(settings), "verify", "--public-key", f"{key}.pub")
    assert broken.returncode == 11
    assert f"error: the log does not verify at position {head - 3}: state-changed" in broken.stderr
    assert f"Verified: positions 1 to {head - 4:,}" in broken.stdout

    with build_services(settings) as services:
        later = write_until(services, head + 1)
    Tamper(settings).change_state_byte(later)
    monkeypatch.setenv(SIGNING_KEY, str(key))
    refused = run("integrity", "checkpoint")  # checks what follows checkpoint 1
    assert refused.code == 11
    assert f"no checkpoint made: position {later}: state-changed" in refused.err


def test_verify_refuses_what_it_cannot_use(
    settings: Settings, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    with build_services(settings) as services:
        write_until(services, 5)
    cases = [
        (("verify", "--from", "9"), 5, "no checkpoint with id 9"),
        (("verify", "--from", "first"), 2, "expected a checkpoint number"),
        (("verify", "--witness", str(tmp_path / "none.jsonl")), 2, "--witness: no file at"),
        (("verify", "--public-key", str(tmp_path / "none.pem")), 2, "cannot read"),
    ]
    for argv, code, message in cases:
        result = run(*argv)
        assert (result.code, message in result.err) == (code, True), result.err
    (tmp_path / "taken.pem").write_text("")
    taken = run("integrity", "keygen", "--out", str(tmp_path / "taken.pem"))
    assert taken.code == 2
    assert "exists" in taken.err
    (tmp_path / "bad.pem").write_text("not a key")
    monkeypatch.setenv(SIGNING_KEY, str(tmp_path / "bad.pem"))
    bad_key = run("verify")
    assert bad_key.code == 2
    assert "not an Ed25519 private key" in bad_key.err


def test_an_import_process_leaves_a_signed_checkpoint_when_one_is_due(
    settings: Settings, tmp_path: Path, run: Run
) -> None:
    signing = {
        **process_env(settings),
        SIGNING_KEY: str(keygen(run, tmp_path)),
        "ACTIONTRAIL_CHECKPOINT_EVERY": "100",
        "ACTIONTRAIL_WITNESS_FILE": str(tmp_path / "witness.jsonl"),
    }
    token = add_user(signing, "Importer", "governance")
    path = write_import_file(tmp_path / "import.json", 10)
    imported = cli(signing, "import", str(path), f"--token={token}")
    assert imported.returncode == 0, imported.stderr
    witnessed = [json.loads(line) for line in (tmp_path / "witness.jsonl").read_text().splitlines()]
    assert [(c["seq"], c["position"]) for c in witnessed] == [(1, 140)]
    assert witnessed[0]["signature"]
    assert cli(signing, "verify").returncode == 0
