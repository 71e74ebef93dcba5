"""A signed log on each store: events, two checkpoints signed with a key kept in a file, and
events after the last checkpoint; plus the means to tamper with it."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from infrastructure.bootstrap import Services, build_services
from infrastructure.config import Settings
from infrastructure.integrity.keys import write_key_pair
from infrastructure.integrity.links import Checkpoint
from tests.builders import SAMPLES
from tests.conftest import drop_schema, make_settings
from tests.integrity.tamper import Tamper


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "signing.pem"
    path.parent.mkdir()
    write_key_pair(path)
    return path


@pytest.fixture
def signed_settings(store: str, tmp_path: Path, key_file: Path) -> Iterator[Settings]:
    settings = make_settings(
        store, tmp_path, signing_key_file=key_file, witness_file=tmp_path / "witness.jsonl"
    )
    yield settings
    drop_schema(settings)


@pytest.fixture
def services(signed_settings: Settings) -> Iterator[Services]:
    with build_services(signed_settings) as built:
        yield built


def write_until(services: Services, position: int) -> int:
    """Save sample aggregates until the log reaches ``position``; the head."""
    number = services.trail.head()
    while services.trail.head() < position:
        number += 1
        services.trail.save(*(build(number) for build in SAMPLES))
    return services.trail.head()


@dataclass(frozen=True)
class SignedLog:
    services: Services
    tamper: Tamper
    first: Checkpoint
    second: Checkpoint
    head: int


@pytest.fixture
def signed_log(services: Services, signed_settings: Settings) -> SignedLog:
    """About 40 events, checkpoint 1; about 40 more, checkpoint 2; about 25 more."""
    write_until(services, 40)
    first = services.integrity.checkpoint()
    write_until(services, 80)
    second = services.integrity.checkpoint()
    head = write_until(services, 100)
    assert first is not None
    assert second is not None
    assert first.signed
    return SignedLog(services, Tamper(signed_settings), first, second, head)
