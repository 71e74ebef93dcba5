"""The projections' caches of aggregates are bounded: an aggregate evicted is read back from its
tables, and the read models are the same as with caches that never evict."""

from typing import Any

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.read_side import sealer_of
from infrastructure.storage.database import create_projection_engine
from infrastructure.storage.fastpaths import decoder, row_writer
from projections.base import keep_recent, touch
from projections.meetings import MeetingsProjection
from projections.overdue import OverdueProjection
from projections.runner import ProjectionRunner, RunnerSettings, all_projections
from projections.tables import metadata
from tests.builders import read_models
from tests.projections.test_fast_paths import record_log

Models = dict[str, list[tuple[Any, ...]]]


def test_touch_moves_the_cached_keys_last_and_answers_the_others() -> None:
    cache = {"a": 1, "b": 2, "c": 3}
    assert touch(cache, ["b", "x", "a"]) == ["x"]
    assert list(cache.items()) == [("c", 3), ("b", 2), ("a", 1)]
    keep_recent(cache, 2)
    assert list(cache) == ["b", "a"]
    keep_recent(cache, 5)
    assert list(cache) == ["b", "a"]


def followed(settings: Settings, app: ActionTrail, cached: int) -> Models:
    """The read models after following the log in batches of 3, each cache holding at most
    ``cached`` aggregates between batches; then dropped for the next runner."""
    sealer = sealer_of(app)
    bounded = {
        "overdue_actions": OverdueProjection(sealer, max_actions=cached),
        "meetings": MeetingsProjection(sealer, max_meetings=cached),
    }
    runner = ProjectionRunner(
        recorder=app.recorder,
        decode=decoder(settings, app),
        engine=create_projection_engine(settings),
        projections=[bounded.get(p.name, p) for p in all_projections(sealer)],
        settings=RunnerSettings(batch_size=3, writer=row_writer(settings)),
    )
    try:
        head = runner.head()
        for until in range(3, head + 3, 3):  # one batch at a time: caches checked after each
            runner.catch_up(until=min(until, head))
            overdue, meetings = bounded["overdue_actions"], bounded["meetings"]
            assert len(overdue.facts) <= cached
            assert len(overdue.versions.groups) <= cached
            assert len(meetings.meetings.groups) <= cached
            assert len(meetings.participants.groups) <= cached
        assert runner.stalls == {}
        models = read_models(runner.engine)
        metadata.drop_all(runner.engine)
        return models
    finally:
        runner.engine.dispose()


def test_tiny_caches_build_the_same_read_models_as_unbounded_ones(
    settings: Settings, app: ActionTrail
) -> None:
    record_log(app, seed=10)

    tiny = followed(settings, app, cached=2)
    unbounded = followed(settings, app, cached=1_000_000)

    assert tiny == unbounded
    assert tiny["rm_action_segments"]
    assert tiny["rm_meeting_participants"]
