"""The event store on an unreachable PostgreSQL: it gives up within seconds (the library alone
retried ten times, each waiting 30 s for a connection) and uses the database again at once."""

import time

import eventsourcing.persistence as es
import pytest

from application.service import ActionTrail
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.storage.faults import describe_database, unavailable_reason
from tests.faults.conftest import Outage, until


def test_the_event_store_gives_up_within_seconds_and_reconnects_at_once(outage: Outage) -> None:
    app: ActionTrail = build_application(outage.settings)
    try:
        assert app.head() == 0
        outage.proxy.cut()

        started = time.monotonic()
        with pytest.raises(es.OperationalError) as caught:
            app.head()
        seconds = time.monotonic() - started
        assert seconds < 6, f"gave up after {seconds:.1f} s"
        assert unavailable_reason(caught.value)

        outage.proxy.restore()
        assert until(lambda: app.head() == 0, within=2) < 1
    finally:
        app.close()


def test_the_store_is_named_without_its_password(unreachable_url: str) -> None:
    settings = Settings(database_url=unreachable_url, database_schema="audit")
    described = describe_database(settings)

    assert "s3cret" not in described
    assert described.startswith("PostgreSQL database test on 127.0.0.1:")
    assert described.endswith("as postgres, schema audit")
