"""The command path keeps aggregates in the library's cache: it stays right when another
process writes the same aggregate, and its cheaper copy and projector answer as the library's.

"Another process" is a second application on the same store: its own connections, its own
cache, as a second ``actiontrail serve`` or worker would have.
"""

import copy
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest
from eventsourcing.application import project_aggregate

from application import commands as c
from application.errors import VersionConflict
from application.service import ActionTrail, project
from domain.action import AgencyAction
from domain.codes import Rag, RecommendationStatus
from domain.errors import DomainError
from domain.events import TrailAggregate
from domain.recommendation import Recommendation
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from tests.builders import (
    action_steps,
    assign_action,
    envelope,
    meeting_steps,
    raise_recommendation,
    recommendation_steps,
)


@pytest.fixture
def other(settings: Settings, stored_app: ActionTrail) -> Iterator[ActionTrail]:
    """A second application on the same store, with a cache of its own."""
    application = build_application(settings)
    yield application
    application.close()


def cached_action(app: ActionTrail, by: Actor) -> UUID:
    """An action at version 2 ("A1" noted), which ``app`` now holds in its cache."""
    action_id = assign_action(app, by)
    app.execute(c.NoteProgress(action_id=action_id, note="A1"), by)
    return action_id


def test_the_command_path_caches_aggregates(stored_app: ActionTrail) -> None:
    assert stored_app.repository.cache is not None
    assert stored_app.repository.fastforward


def test_a_command_sees_what_another_process_wrote_since_it_cached_the_aggregate(
    stored_app: ActionTrail, other: ActionTrail, governance: Actor
) -> None:
    action_id = cached_action(stored_app, governance)
    written = other.execute(c.NoteProgress(action_id=action_id, note="B1"), governance)
    assert written.version == 3
    mine = stored_app.execute(
        c.NoteProgress(action_id=action_id, note="A2", expected_version=3), governance
    )
    assert mine.version == 4
    for app in (stored_app, other):
        assert app.get(action_id, governance, AgencyAction).progress_notes == ["A1", "B1", "A2"]


def test_a_stale_expected_version_conflicts_after_another_process_wrote(
    stored_app: ActionTrail, other: ActionTrail, governance: Actor
) -> None:
    action_id = cached_action(stored_app, governance)
    other.execute(c.NoteProgress(action_id=action_id, note="B1"), governance)
    stale = c.NoteProgress(action_id=action_id, note="stale", expected_version=2)
    head = stored_app.head()
    with pytest.raises(VersionConflict) as info:
        stored_app.execute(stale, governance)
    assert (info.value.current, stored_app.head()) == (3, head)


def test_a_rule_another_process_made_true_applies_to_the_next_command(
    stored_app: ActionTrail, other: ActionTrail, governance: Actor
) -> None:
    action_id = cached_action(stored_app, governance)
    other.execute(
        c.CompleteAction(action_id=action_id, completed_on=date(2023, 11, 20), evidence="Done"),
        governance,
    )
    with pytest.raises(DomainError):
        stored_app.execute(c.NoteProgress(action_id=action_id, note="too late"), governance)
    assert stored_app.get(action_id, governance, AgencyAction).is_finished


def test_a_command_retried_through_another_process_writes_once(
    stored_app: ActionTrail, other: ActionTrail, governance: Actor
) -> None:
    action_id = cached_action(stored_app, governance)
    note = c.NoteProgress(action_id=action_id, note="once", command_id="k-1")
    first = other.execute(note, governance)
    head = stored_app.head()
    assert stored_app.execute(note, governance) == first
    assert stored_app.head() == head


def test_a_refused_or_lost_write_leaves_the_cache_as_stored(
    stored_app: ActionTrail, other: ActionTrail, governance: Actor
) -> None:
    action_id = cached_action(stored_app, governance)
    with pytest.raises(VersionConflict):
        stored_app.execute(
            c.NoteProgress(action_id=action_id, note="x", expected_version=1), governance
        )
    other.execute(c.NoteProgress(action_id=action_id, note="B1"), governance)
    stored_app.execute(c.NoteProgress(action_id=action_id, note="A2"), governance)
    assert other.get(action_id, governance, AgencyAction).progress_notes == ["A1", "B1", "A2"]
    assert stored_app.get(action_id, governance, AgencyAction).version == 4


def _every_step() -> Iterator[TrailAggregate]:
    for n in range(8):
        for steps in (meeting_steps(n), action_steps(n), recommendation_steps(n)):
            for aggregate in steps:
                aggregate.collect_events()
                yield aggregate


def test_the_aggregate_copy_equals_the_library_deep_copy_and_shares_nothing_mutable() -> None:
    for aggregate in _every_step():
        fast = copy.deepcopy(aggregate)
        plain = copy.deepcopy(aggregate.__dict__)
        assert type(fast) is type(aggregate)
        assert fast.__dict__ == plain
        for name, value in aggregate.__dict__.items():
            if isinstance(value, list | dict | set):
                assert getattr(fast, name) is not value, name
        fast.command_versions[("someone", "else")] = 99
        assert ("someone", "else") not in aggregate.command_versions


def test_a_copy_changed_by_a_command_leaves_the_original_alone() -> None:
    action = next(action_steps(1))
    action.collect_events()
    before = copy.deepcopy(action.__dict__)
    changed = copy.deepcopy(action)
    changed.note_progress(note="Chased", by=envelope())
    assert action.__dict__ == before
    assert changed.version == action.version + 1


def test_the_projector_builds_what_the_library_projector_builds() -> None:
    for steps in (meeting_steps(3), action_steps(3), recommendation_steps(3)):
        events: list[TrailAggregate.Event] = []
        for aggregate in steps:
            events.extend(e for e in aggregate.collect_events())  # type: ignore[misc]
        ours = project(None, events)
        theirs = project_aggregate(None, events)
        assert ours is not None
        assert theirs is not None
        assert ours.__dict__ == theirs.__dict__


def test_the_copy_shares_the_events_of_its_timeline_and_not_the_list() -> None:
    for aggregate in _every_step():
        copied = copy.deepcopy(aggregate)
        assert copied.timeline is not aggregate.timeline
        assert all(
            mine.event is theirs.event
            for mine, theirs in zip(copied.timeline, aggregate.timeline, strict=True)
        )


def test_a_back_dated_change_another_process_wrote_is_folded_in_by_the_cache(
    stored_app: ActionTrail, other: ActionTrail, governance: Actor
) -> None:
    rec_id = raise_recommendation(stored_app, governance)  # raised on 2 October 2023

    def status(day: date, rag: Rag, command_id: str) -> c.ChangeRecommendationStatus:
        return c.ChangeRecommendationStatus(
            recommendation_id=rec_id,
            status=RecommendationStatus.IN_PROGRESS,
            rag=rag,
            reason="r",
            effective_on=day,
            command_id=command_id,
        )

    stored_app.execute(status(date(2024, 4, 30), Rag.GREEN, "april"), governance)
    back = other.execute(status(date(2023, 12, 15), Rag.AMBER, "december"), governance)
    assert back.note is not None
    stored_app.execute(status(date(2024, 1, 31), Rag.RED, "january"), governance)
    for app in (stored_app, other):
        rec = app.get(rec_id, governance, Recommendation)
        assert (rec.rag, rec.version) == (Rag.GREEN, 4)
        assert [p.version for p in rec.timeline] == [1, 3, 4, 2]
        assert app.execute(status(date(2023, 12, 15), Rag.AMBER, "december"), governance) == back
