"""The chain's encoding: fixed, documented, and never the same for two different events."""

import hashlib
import json
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from infrastructure.integrity.links import (
    GENESIS,
    HEADER,
    TAG,
    Checkpoint,
    Link,
    chained,
    encode,
    link,
)

AGGREGATE = UUID("12345678-1234-5678-1234-567812345678").bytes
TOPIC = "actiontrail.AgencyAction.ProgressNoted"
STATE = b'{"note":"x"}'


def test_an_event_encodes_as_docs_integrity_md_says() -> None:
    encoded = encode(7, AGGREGATE, 3, TOPIC, STATE)
    assert HEADER.size == 64
    assert encoded[:20] == TAG == b"actiontrail/chain/1\x00"
    assert encoded[20:28] == (7).to_bytes(8, "big")
    assert encoded[28:44] == AGGREGATE
    assert encoded[44:52] == (3).to_bytes(8, "big")
    assert encoded[52:56] == len(TOPIC).to_bytes(4, "big")
    assert encoded[56:64] == len(STATE).to_bytes(8, "big")
    assert encoded[64:] == TOPIC.encode() + STATE


def test_a_link_is_sha256_of_the_previous_value_and_the_encoding() -> None:
    value = link(GENESIS, 7, AGGREGATE, 3, TOPIC, STATE)
    assert value == hashlib.sha256(GENESIS + encode(7, AGGREGATE, 3, TOPIC, STATE)).digest()
    # pinned: a change of the encoding breaks every chain already stored
    assert value.hex() == "a0e0cb0b63fe446db14b5f76fa9da64405a81e5c3fcfe90ca12e70ec68109ec9"
    assert link(value, 8, AGGREGATE, 4, TOPIC, STATE) != link(
        GENESIS, 8, AGGREGATE, 4, TOPIC, STATE
    )


events = st.tuples(
    st.integers(min_value=0, max_value=2**63 - 1),
    st.binary(min_size=16, max_size=16),
    st.integers(min_value=0, max_value=2**63 - 1),
    st.text(max_size=12),
    st.binary(max_size=24),
)


@given(events, events)
def test_two_different_events_never_encode_alike(
    one: tuple[int, bytes, int, str, bytes], other: tuple[int, bytes, int, str, bytes]
) -> None:
    assert (encode(*one) == encode(*other)) == (one == other)


def test_bytes_moved_between_topic_and_state_change_the_encoding() -> None:
    assert encode(1, AGGREGATE, 1, "ab", b"c") != encode(1, AGGREGATE, 1, "a", b"bc")
    assert encode(1, AGGREGATE, 1, "", b"abc") != encode(1, AGGREGATE, 1, "abc", b"")


def test_a_checkpoint_signs_canonical_json_of_every_field_but_its_signature() -> None:
    checkpoint = Checkpoint("log-1", 2, 300, "ab" * 32, "2026-01-01T00:00:00+00:00", "k1", "c2ln")
    assert json.loads(checkpoint.message()) == {
        "kind": "actiontrail checkpoint 1",
        "log": "log-1",
        "seq": 2,
        "position": 300,
        "hash": "ab" * 32,
        "signed_at": "2026-01-01T00:00:00+00:00",
        "key": "k1",
    }
    assert (
        checkpoint.message()
        == json.dumps(
            json.loads(checkpoint.message()), sort_keys=True, separators=(",", ":")
        ).encode()
    )
    assert Checkpoint.from_json(checkpoint.as_json()) == checkpoint


@given(st.lists(events, max_size=5))
def test_a_write_links_its_events_as_link_does_one_by_one(
    written: list[tuple[int, bytes, int, str, bytes]],
) -> None:
    rows, end = chained(
        Link(9, b"\x01" * 32), [(p, "stored", i, v, t, s) for p, i, v, t, s in written]
    )
    value, previous = b"\x01" * 32, 9
    for row, (position, identity, version, topic, state) in zip(rows, written, strict=True):
        value = link(value, position, identity, version, topic, state)
        assert row == (position, previous, "stored", version, value)
        previous = position
    assert end == Link(previous, value)
