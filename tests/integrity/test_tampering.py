"""Faults and attacks by someone with access to the database but not to the signing key: each
is found, at the position it touched, and named (on both stores)."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infrastructure.config import Settings
from infrastructure.integrity.keys import Signer
from infrastructure.integrity.report import IntegrityReport
from infrastructure.integrity.service import Integrity
from tests.integrity.conftest import SignedLog


def verified(log: SignedLog, **changes: object) -> IntegrityReport:
    """The log verified as the server would (``changes``: other settings, e.g. no witness)."""
    if not changes:
        return log.services.integrity.verify()
    settings: Settings = log.services.settings.model_copy(update=changes)
    return Integrity(settings, log.services.trail).verify()


def broken(report: IntegrityReport, position: int, reason: str) -> str:
    assert report.status == "broken", report
    assert report.first_mismatch is not None
    assert (report.first_mismatch.position, report.first_mismatch.reason) == (position, reason)
    return report.first_mismatch.detail


def test_an_untouched_log_verifies_and_is_signed_to_its_last_checkpoint(
    signed_log: SignedLog,
) -> None:
    report = verified(signed_log)
    assert report.status == "ok"
    assert report.first_mismatch is None
    assert report.head == report.verified_to == signed_log.head
    assert report.verified_from == 1
    assert report.signed_to == signed_log.second.position
    assert report.trust == "trusted-key"
    assert report.checkpoints == 2
    assert report.last_checkpoint is not None
    assert report.last_checkpoint.seq == 2
    assert report.last_checkpoint.hash == signed_log.second.hash


def test_one_changed_byte_of_one_event_is_found(signed_log: SignedLog) -> None:
    position = signed_log.first.position - 10
    signed_log.tamper.change_state_byte(position)
    report = verified(signed_log)
    detail = broken(report, position, "state-changed")
    assert f"position {position}" in detail
    assert report.verified_to == position - 1
    assert report.signed_to == 0


@pytest.mark.parametrize("with_its_link", [False, True], ids=["event", "event-and-link"])
def test_a_deleted_event_is_found(signed_log: SignedLog, with_its_link: bool) -> None:
    position = signed_log.first.position + 5
    signed_log.tamper.delete_event(position, with_its_link)
    report = verified(signed_log)
    broken(report, position, "event-removed")
    assert report.verified_to == position - 1
    assert report.signed_to == signed_log.first.position


def test_two_swapped_events_are_found(signed_log: SignedLog) -> None:
    first, second = signed_log.first.position - 20, signed_log.first.position - 12
    signed_log.tamper.swap_events(first, second)
    detail = broken(verified(signed_log), first, "events-reordered")
    assert f"now stands at position {second}" in detail


@pytest.mark.parametrize("links_too", [True, False], ids=["events-and-links", "events"])
def test_a_truncated_tail_is_found(signed_log: SignedLog, links_too: bool) -> None:
    end = signed_log.second.position - 5
    signed_log.tamper.truncate(after=end, links_too=links_too)
    report = verified(signed_log)
    detail = broken(report, end + 1, "tail-truncated")
    assert f"up to position {signed_log.second.position}" in detail
    assert report.head == report.verified_to == end


def test_a_tail_truncated_with_its_checkpoints_is_found_by_the_witness(
    signed_log: SignedLog,
) -> None:
    end = signed_log.first.position + 5
    signed_log.tamper.truncate(after=end)
    signed_log.tamper.delete_checkpoints(2)
    broken(verified(signed_log), end + 1, "tail-truncated")
    # without the witness the database alone cannot tell: nothing in it covers the lost events
    assert verified(signed_log, witness_file=None).status == "ok"


@pytest.mark.parametrize("checkpoints_too", [False, True], ids=["chain", "chain-and-checkpoints"])
def test_a_chain_rewritten_without_the_signing_key_is_found(
    signed_log: SignedLog, checkpoints_too: bool
) -> None:
    signed_log.tamper.change_state_byte(signed_log.first.position - 10)
    values = signed_log.tamper.rewrite_chain()
    if checkpoints_too:
        signed_log.tamper.rewrite_checkpoints(values)
    report = verified(signed_log, witness_file=None)
    broken(report, signed_log.first.position, "chain-rewritten")
    assert report.signed_to == 0


def test_a_replaced_public_key_in_the_database_is_found(signed_log: SignedLog) -> None:
    signed_log.tamper.replace_public_keys(Signer(Ed25519PrivateKey.generate()))
    detail = broken(verified(signed_log), signed_log.first.position, "public-key-replaced")
    assert "replaced" in detail


def test_a_chain_rewritten_and_signed_with_another_key_is_found(signed_log: SignedLog) -> None:
    attacker = Signer(Ed25519PrivateKey.generate())
    signed_log.tamper.change_state_byte(signed_log.first.position - 10)
    values = signed_log.tamper.rewrite_chain()
    signed_log.tamper.rewrite_checkpoints(values, attacker)
    detail = broken(
        verified(signed_log, witness_file=None), signed_log.first.position, "public-key-replaced"
    )
    assert attacker.key_id in detail
    # trusting only the key the database holds, the forgery passes: hence the trusted key
    fooled = verified(signed_log, witness_file=None, signing_key_file=None)
    assert (fooled.status, fooled.trust) == ("ok", "database-key")


def test_an_event_that_was_never_chained_among_chained_ones_is_found(
    signed_log: SignedLog,
) -> None:
    position = signed_log.first.position - 3
    signed_log.tamper.delete_link(position)
    broken(verified(signed_log), position, "event-inserted")


def test_a_changed_chain_value_is_found(signed_log: SignedLog) -> None:
    position = signed_log.first.position - 3
    signed_log.tamper.change_link(position)
    broken(verified(signed_log), position, "chain-altered")


def test_a_removed_checkpoint_is_found(signed_log: SignedLog) -> None:
    signed_log.tamper.delete_checkpoints(1)
    broken(verified(signed_log), signed_log.first.position, "checkpoint-removed")
    without_witness = verified(signed_log, witness_file=None)
    broken(without_witness, signed_log.second.position, "checkpoint-removed")


def test_verifying_from_a_checkpoint_reads_only_what_follows_it(signed_log: SignedLog) -> None:
    signed_log.tamper.change_state_byte(signed_log.first.position - 10)
    report = signed_log.services.integrity.verify(start_seq=1)
    assert report.status == "ok"
    assert report.verified_from == signed_log.first.position + 1
    assert report.signed_to == signed_log.second.position
    signed_log.tamper.change_state_byte(signed_log.first.position + 10)
    broken(
        signed_log.services.integrity.verify(start_seq=1),
        signed_log.first.position + 10,
        "state-changed",
    )
