"""A runner of some projections decodes only the events they handle, and still moves past the
others: the read models are those of a runner of every projection."""

from collections.abc import Callable
from typing import Any

import pytest

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.read_side import build_runner
from projections.audit_log import AuditLogProjection
from projections.runner import ProjectionRunner
from tests.builders import action_steps, envelope, read_models
from tests.projections.test_fast_paths import record_log

RUNNER_BATCH = 3


@pytest.mark.parametrize("last", [False, True], ids=["mid-log", "log-ends-unhandled"])
def test_events_no_projection_handles_are_not_decoded(
    settings: Settings,
    app: ActionTrail,
    runners: Callable[[], ProjectionRunner],
    last: bool,
) -> None:
    record_log(app, seed=10)
    steps = action_steps(1)
    app.save(next(steps))
    action = next(steps)
    for n in range(5):  # more than a batch of events that only the audit log handles
        action.note_progress(note=f"Chased {n}", by=envelope())
    app.save(action)
    if not last:
        record_log(app, seed=11)
    everything = runners()
    everything.catch_up()
    expected = read_models(everything.engine)

    names = [n for n in everything.names if n != AuditLogProjection.name]
    some = build_runner(settings, app, batch_size=RUNNER_BATCH, names=names)
    try:
        some.rebuild()
        decoded: list[Any] = []
        decode = some.decoder.decode

        def counting(notification: Any) -> Any:
            event = decode(notification)
            decoded.append(event)
            return event

        some.decoder.decode = counting
        some.rebuild()
        head = some.head()
        assert some.stored_positions() == dict.fromkeys(names, head)
        assert decoded
        assert all(any(p.handles(e) for p in some.projections) for e in decoded)
        assert len(decoded) < head
        models = read_models(some.engine)
        assert {k: v for k, v in models.items() if k != "rm_audit_log"} == {
            k: v for k, v in expected.items() if k != "rm_audit_log"
        }
    finally:
        some.engine.dispose()
