"""The follow loop stays out of the commands' way and keeps the read models exact.

It keeps the positions it moves instead of re-reading them at every catch-up (a position moved
by another process fails the next compare and set, which re-reads them), applies the saves of
a moment in one batch (``settle``), and catches up at once when a reader waits (``hurry``).
"""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from application.queries import AuditLogQuery
from application.service import ActionTrail
from domain.values import Actor
from infrastructure.config import Settings
from infrastructure.read_side import build_read_service
from projections.runner import ProjectionRunner
from projections.service import ReadService
from tests.builders import read_models, rebuilt
from tests.projections.test_runner import assign, scenario


def counting(owner: object, monkeypatch: pytest.MonkeyPatch, method: str) -> list[int]:
    calls: list[int] = []
    original = getattr(owner, method)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, method, counted)
    return calls


@pytest.fixture
def following(settings: Settings, app: ActionTrail) -> Iterator[ReadService]:
    service = build_read_service(settings, app)
    yield service
    service.stop()
    service.runner.engine.dispose()


@pytest.fixture
def rivals(
    app: ActionTrail, governance: Actor, runners: Callable[[], ProjectionRunner]
) -> tuple[ProjectionRunner, ProjectionRunner]:
    """Ours and a rival (another process) over a log that revisits aggregates."""
    scenario(app, governance)
    return runners(), runners()


def test_the_follow_loop_keeps_its_positions_and_a_rival_still_never_applies_twice(
    rivals: tuple[ProjectionRunner, ProjectionRunner],
    runners: Callable[[], ProjectionRunner],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ours, rival = rivals
    ours.catch_up(until=5)
    reads = counting(ours.positions, monkeypatch, "stored")
    ours.catch_up(until=5, fresh=False)
    assert reads == []  # its own positions, not read again
    rival.catch_up(until=10)  # another process moves them on
    ours.catch_up(fresh=False)  # its compare and set fails, it re-reads and carries on
    assert reads
    assert ours.reached(ours.head(), stored=True)
    assert read_models(ours.engine) == rebuilt(runners())


def test_a_rebuild_elsewhere_while_following_ends_equal_to_a_rebuild(
    app: ActionTrail,
    governance: Actor,
    rivals: tuple[ProjectionRunner, ProjectionRunner],
    runners: Callable[[], ProjectionRunner],
) -> None:
    ours, rival = rivals
    ours.catch_up(until=6)
    rival.rebuild()  # every position back to 0, then to the head
    assign(app, governance, 1)
    ours.catch_up(fresh=False)
    assert ours.reached(ours.head(), stored=True)
    assert read_models(ours.engine) == rebuilt(runners())


def test_saves_in_quick_succession_are_applied_in_few_batches(
    app: ActionTrail,
    governance: Actor,
    following: ReadService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = following.runner
    runner.follower.settle = 0.5
    following.start()
    assert following.wait_for(0)
    writes = counting(runner.batches, monkeypatch, "write")
    positions = []
    for day in range(1, 9):
        positions.append(assign(app, governance, day))
        runner.poke()
    assert following.wait_for(positions[-1])
    assert len(writes) < len(positions)
    assert len(following.audit_log(AuditLogQuery()).events) == len(positions)


def test_a_reader_does_not_wait_for_the_batch_to_settle(
    app: ActionTrail, governance: Actor, following: ReadService
) -> None:
    runner = following.runner
    runner.follower.settle = 30.0
    following.start()
    assert following.wait_for(0)
    for day in (1, 2, 3):
        position = assign(app, governance, day)
        runner.poke()
        started = time.monotonic()
        assert following.wait_for(position)
        assert time.monotonic() - started < 10  # not the 30 s of settling
        assert len(following.audit_log(AuditLogQuery()).events) == day
