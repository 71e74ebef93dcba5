"""Fixtures of the read side: a read service over the test application's store."""

from collections.abc import Callable, Iterator

import pytest

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.read_side import build_read_service, build_runner
from projections.runner import ProjectionRunner
from projections.service import ReadService


@pytest.fixture
def reads(settings: Settings, app: ActionTrail) -> Iterator[ReadService]:
    """Reports that catch up in the caller's thread before answering (no background thread)."""
    service = build_read_service(settings, app, batch_size=7)
    yield service
    service.stop()
    service.runner.engine.dispose()


@pytest.fixture
def runners(
    settings: Settings, app: ActionTrail, request: pytest.FixtureRequest
) -> Iterator[Callable[[], ProjectionRunner]]:
    """Fresh runners over the test store, as a restarted process would build them, in batches
    of the test module's ``RUNNER_BATCH`` events (default 4)."""
    batch_size = getattr(request.module, "RUNNER_BATCH", 4)
    made: list[ProjectionRunner] = []

    def make() -> ProjectionRunner:
        runner = build_runner(settings, app, batch_size=batch_size)
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.stop()
        runner.engine.dispose()
