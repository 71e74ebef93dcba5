"""Fixtures of the read side: a read service over the test application's store."""

from collections.abc import Iterator

import pytest

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.projections_wiring import build_read_service
from projections.service import ReadService


@pytest.fixture
def reads(settings: Settings, app: ActionTrail) -> Iterator[ReadService]:
    """Reports that catch up in the caller's thread before answering (no background thread)."""
    service = build_read_service(settings, app, batch_size=7)
    yield service
    service.stop()
    service.runner.engine.dispose()
