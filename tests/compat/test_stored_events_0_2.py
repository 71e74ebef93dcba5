"""Events stored by version 0.2 (effective dates, class version 2) must stay readable.

``events-0.2.db`` was written by ``scenario_0_2.record`` with version 0.2 and is never
rewritten; it is read through the aggregates and through the projections' fast decoder.
"""

import copy
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from application.service import ActionTrail, project
from domain.action import AgencyAction
from domain.codes import ActionStatus, RecommendationStatus
from domain.recommendation import Recommendation
from infrastructure.config import Settings
from infrastructure.storage.fastpaths.decoding import fast_decoder
from tests.compat import stored
from tests.compat.scenario import GOVERNANCE

FIXTURE = Path(__file__).with_name("events-0.2.db")
RECOMMENDATION = UUID("77c880f3-0c52-56f2-bdb3-e48b57783844")
LATE_ACTION = UUID("27945cbe-1053-54ee-8ab7-534be1cdef15")
LATE_MEETING_ACTION = UUID("d6018e6c-4da3-5745-bdd5-338d5316db8e")


@pytest.fixture
def app_0_2(settings: Settings) -> ActionTrail:
    return stored.load(FIXTURE, settings)


def test_fixture_holds_every_event_type_and_the_dated_ones_at_version_2() -> None:
    rows = stored.stored_rows(FIXTURE)
    assert len({row[2] for row in rows}) == 26
    dated = [row for row in rows if b'"class_version":2' in row[3]]
    assert len(dated) == 20


def test_effective_dates_of_0_2_still_load(app_0_2: ActionTrail) -> None:
    action = app_0_2.get(LATE_ACTION, GOVERNANCE, AgencyAction)
    assert (action.agreed_on, action.due_on, action.agency, action.status) == (
        date(2024, 1, 5),
        date(2024, 1, 26),
        "childrens-social-care",
        ActionStatus.OPEN,
    )
    history = app_0_2.history(LATE_ACTION, GOVERNANCE, AgencyAction)
    assert [e.effective for _, e in history] == [
        date(2024, 1, 5),
        date(2024, 1, 12),
        date(2024, 1, 15),
        date(2024, 1, 22),
        date(2024, 1, 29),
    ]
    meeting_action = app_0_2.get(LATE_MEETING_ACTION, GOVERNANCE, AgencyAction)
    assert meeting_action.agreed_on == date(2023, 6, 14)
    rec = app_0_2.get(RECOMMENDATION, GOVERNANCE, Recommendation)
    assert rec.status is RecommendationStatus.IN_PROGRESS
    rec_history = app_0_2.history(RECOMMENDATION, GOVERNANCE, Recommendation)
    assert [e.effective for _, e in rec_history[-3:]] == [
        date(2024, 1, 10),
        date(2024, 2, 1),
        date(2024, 2, 8),
    ]


def test_the_fast_decoder_reads_0_2_as_the_library_does(app_0_2: ActionTrail) -> None:
    decode = fast_decoder(app_0_2)
    for notification in app_0_2.recorder.select_notifications(start=1, limit=1000):
        slow: Any = app_0_2.mapper.to_domain_event(notification)
        fast = decode(notification)
        assert type(fast) is type(slow)
        assert fast.__dict__ == slow.__dict__


def test_each_event_changes_only_what_its_aggregate_says_it_changes(app_0_2: ActionTrail) -> None:
    """``TrailAggregate.CHANGES``: an event slotted in before later ones that change none of
    what it changes is not folded again, so what each type changes must be exactly right."""
    checked: set[str] = set()
    for aggregate_id in {UUID(row[0]) for row in stored.stored_rows(FIXTURE)}:
        events = list(app_0_2.events.get(aggregate_id))
        aggregate = project(None, events)
        assert aggregate is not None
        for index, placed in enumerate(aggregate.timeline[1:], 1):
            declared = aggregate.CHANGES.get(type(placed.event))
            if declared is None:
                continue
            before = aggregate._fold(aggregate.timeline[:index])
            after = copy.deepcopy(before)
            placed.event.apply(after)
            changed = {
                name
                for name, value in after.__dict__.items()
                if name not in ("timeline", "command_versions")
                and before.__dict__.get(name) != value
            }
            assert changed <= declared, (type(placed.event).__name__, changed - declared)
            checked.add(type(placed.event).__name__)
    assert len(checked) >= 20, sorted(checked)
