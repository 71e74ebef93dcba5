"""Checkpoints: when they are due, who makes them, signed or not, one per number whoever races,
never of a log that changed, and each exported to the witness file."""

import base64
import json
import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infrastructure.bootstrap import Services, build_application, build_services
from infrastructure.config import ConfigurationError, Settings
from infrastructure.integrity.checkpoints import Checkpointer, LogBroken, Policy, read_witness
from infrastructure.integrity.keys import load_signer, write_key_pair
from infrastructure.integrity.links import Checkpoint
from infrastructure.integrity.service import Integrity
from tests.integrity.conftest import write_until
from tests.integrity.tamper import Tamper


def checkpointer(services: Services, every: int, minutes: int, now: datetime) -> Checkpointer:
    made = services.integrity.checkpointer()
    return Checkpointer(
        made.store, made.signer, Policy(every, timedelta(minutes=minutes)), None, lambda: now
    )


def test_a_checkpoint_is_due_every_n_events(services: Services) -> None:
    now = datetime.fromisoformat(services.integrity.store.log_record().started_at)  # type: ignore[union-attr]
    every_30 = checkpointer(services, 30, 60, now)
    write_until(services, 20)
    assert every_30.make() is None
    head = write_until(services, 30)
    made = every_30.make()
    assert made is not None
    assert (made.seq, made.position) == (1, head)
    assert every_30.make() is None  # the chain has not grown since


def test_a_checkpoint_is_due_hourly_while_writes_happen(services: Services) -> None:
    began = datetime.fromisoformat(services.integrity.store.log_record().started_at)  # type: ignore[union-attr]
    write_until(services, 5)
    assert checkpointer(services, 1000, 60, began + timedelta(minutes=59)).make() is None
    first = checkpointer(services, 1000, 60, began + timedelta(minutes=61)).make()
    assert first is not None
    later = datetime.fromisoformat(first.signed_at) + timedelta(hours=3)
    assert checkpointer(services, 1000, 60, later).make() is None  # no write since: none due
    write_until(services, first.position + 1)
    second = checkpointer(services, 1000, 60, later).make()
    assert second is not None
    assert second.seq == 2


def test_each_checkpoint_is_signed_and_appended_to_the_witness_as_an_inspector_reads_it(
    services: Services, signed_settings: Settings, key_file: Path
) -> None:
    write_until(services, 10)
    first = services.integrity.checkpoint()
    assert first is not None
    write_until(services, first.position + 1)
    second = services.integrity.checkpoint()
    lines = signed_settings.witness_file.read_text().splitlines()  # type: ignore[union-attr]
    assert [json.loads(line)["seq"] for line in lines] == [1, 2]
    public = serialization.load_pem_public_key(Path(f"{key_file}.pub").read_bytes())
    assert isinstance(public, Ed25519PublicKey)
    for line, made in zip(lines, (first, second), strict=True):
        document = json.loads(line)
        signature = base64.b64decode(document.pop("signature"))
        signed = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
        public.verify(signature, signed)  # raises when it does not hold
        assert Checkpoint.from_json(json.loads(line)) == made
    assert read_witness(signed_settings.witness_file) == ([first, second], 0)  # type: ignore[arg-type]


def test_without_a_signing_key_checkpoints_are_unsigned_and_do_not_anchor_the_log(
    settings: Settings,
) -> None:
    with build_services(settings) as services:
        write_until(services, 10)
        made = services.integrity.checkpoint()
        report = services.integrity.verify()
    assert made is not None
    assert not made.signed
    assert (made.key, made.signature) == (None, None)
    assert (report.status, report.trust, report.signed_to) == ("ok", "unsigned", 0)


def test_processes_racing_make_one_checkpoint_per_number(signed_settings: Settings) -> None:
    with build_services(signed_settings) as services:
        write_until(services, 10)
    apps = [build_application(signed_settings) for _ in range(4)]
    made: list[Checkpoint | None] = []
    start = threading.Barrier(len(apps))

    def race(app_index: int) -> None:
        integrity = Integrity(signed_settings, apps[app_index])
        start.wait()
        made.append(integrity.checkpoint())

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(apps))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stored = apps[0].recorder.chain.checkpoints()
        report = Integrity(signed_settings, apps[0]).verify()
    finally:
        for app in apps:
            app.close()
    assert [c.seq for c in stored] == [1]
    assert [c for c in made if c is not None] == stored
    assert report.status == "ok"


def test_no_checkpoint_is_made_of_a_log_changed_since_the_last(
    services: Services, signed_settings: Settings
) -> None:
    write_until(services, 10)
    first = services.integrity.checkpoint()
    assert first is not None
    head = write_until(services, first.position + 5)
    Tamper(signed_settings).change_state_byte(head - 2)
    with pytest.raises(LogBroken, match=f"position {head - 2}: state-changed"):
        services.integrity.checkpoint()
    assert services.integrity.store.checkpoints() == [first]


def test_a_command_line_process_that_wrote_makes_a_checkpoint_when_due(
    signed_settings: Settings,
) -> None:
    settings = signed_settings.model_copy(update={"checkpoint_every": 50})
    with build_services(settings) as services:
        assert write_until(services, 5) < 50
    with build_services(settings) as services:
        assert services.integrity.store.checkpoints() == []  # not due yet
        head = write_until(services, 50)
    with build_services(settings) as services:
        stored = services.integrity.store.checkpoints()
        services.integrity.verify()  # reads only: no checkpoint made when closing
    assert [(c.seq, c.position, c.signed) for c in stored] == [(1, head, True)]
    with build_services(settings) as services:
        assert services.integrity.store.checkpoints() == stored


def test_a_server_makes_checkpoints_as_its_saves_pass_every_n_events(
    signed_settings: Settings,
) -> None:
    settings = signed_settings.model_copy(update={"checkpoint_every": 10})
    with build_services(settings, follow=True) as services:
        head = write_until(services, 12)
        deadline = datetime.now() + timedelta(seconds=20)
        while not services.integrity.store.checkpoints() and datetime.now() < deadline:
            threading.Event().wait(0.1)
        stored = services.integrity.store.checkpoints()
    assert stored
    assert stored[0].position >= 10
    assert stored[-1].position <= head


def test_a_server_without_a_signing_key_warns_and_serves(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING), build_services(settings, follow=True) as services:
        assert services.trail.head() == 0
    assert any("no signing key" in record.getMessage() for record in caplog.records)


def test_a_signing_key_can_be_given_in_the_environment(tmp_path: Path) -> None:
    write_key_pair(tmp_path / "k.pem")
    from_file = load_signer(Settings(signing_key_file=tmp_path / "k.pem"))
    assert from_file is not None
    raw = from_file.private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    for value in (base64.b64encode(raw).decode(), from_file.private_pem().decode()):
        signer = load_signer(Settings(signing_key=value))  # type: ignore[arg-type]
        assert signer is not None
        assert signer.key_id == from_file.key_id


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a key", "not an Ed25519 private key"), (None, "cannot read")],
)
def test_a_signing_key_that_cannot_be_read_is_a_clear_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "key.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigurationError, match=message):
        load_signer(Settings(signing_key_file=path))


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(
    tmp_path: Path,
) -> None:
    signer = write_key_pair(tmp_path / "signing.pem")
    assert (tmp_path / "signing.pem").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "signing.pem.pub").read_text() == signer.public_pem
    with pytest.raises(ConfigurationError, match="exists"):
        write_key_pair(tmp_path / "signing.pem")


def test_after_a_key_rotation_the_old_public_key_still_verifies_the_old_checkpoints(
    services: Services, signed_settings: Settings, key_file: Path, tmp_path: Path
) -> None:
    write_until(services, 10)
    old = services.integrity.checkpoint()
    assert old is not None
    write_key_pair(tmp_path / "new.pem")
    rotated = signed_settings.model_copy(update={"signing_key_file": tmp_path / "new.pem"})
    write_until(services, old.position + 1)
    new = Integrity(rotated, services.trail).checkpoint()
    assert new is not None
    assert new.key != old.key
    report = Integrity(rotated, services.trail).verify()
    assert report.first_mismatch is not None
    assert (report.first_mismatch.position, report.first_mismatch.reason) == (
        old.position,
        "public-key-replaced",
    )
    with_old = rotated.model_copy(update={"public_keys_file": Path(f"{key_file}.pub")})
    report = Integrity(with_old, services.trail).verify()
    assert (report.status, report.signed_to) == ("ok", new.position)
    assert services.integrity.store.keys().keys() == {old.key, new.key}
