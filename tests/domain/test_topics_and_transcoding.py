"""Stored names do not depend on where the code lives, and values come back with their types."""

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder

from application.transcodings import register_transcodings
from domain.action import AgencyAction
from domain.codes import ALL_ENUMS, ActionSourceKind, Role
from domain.events import BASE_FIELDS, Envelope, TrailAggregate
from domain.meeting import StrategyMeeting
from domain.projection_skip import ProjectionSkip
from domain.recommendation import Recommendation
from domain.values import ActionSource, Actor, Measure


def event_classes() -> list[type[TrailAggregate.Event]]:
    return [
        value
        for aggregate in (StrategyMeeting, Recommendation, AgencyAction, ProjectionSkip)
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, TrailAggregate.Event)
        and name not in ("Event", "Created")  # the library's generated bases, never triggered
    ]


def test_every_event_has_an_explicit_topic_free_of_module_paths() -> None:
    topics = [cls.__dict__["TOPIC"] for cls in event_classes()]
    assert len(topics) == 29
    assert len(set(topics)) == len(topics)
    assert all(t.startswith("actiontrail.") and ":" not in t for t in topics)


def test_events_store_their_topic_not_their_module() -> None:
    by = Envelope(Actor("u", Role.GOVERNANCE), "c")
    action = AgencyAction.assign(
        id=uuid4(),
        source=ActionSource(ActionSourceKind.MARAC, "M-1"),
        agency="police",
        owner_role=None,
        description="d",
        due_on=date(2023, 12, 1),
        agreed_on=date(2023, 11, 1),
        by=by,
    )
    assert [type(e).TOPIC for e in action.collect_events()] == ["actiontrail.AgencyAction.Assigned"]


def test_enums_dates_and_value_objects_round_trip_with_their_types() -> None:
    transcoder = JSONTranscoder()
    transcoder.register(DatetimeAsISO())
    register_transcodings(transcoder)
    value = {
        "codes": [member for enum in ALL_ENUMS for member in enum],
        "day": date(2023, 12, 1),
        "moment": datetime(2023, 12, 5, 11, 15, tzinfo=UTC),
        "actor": Actor("u", Role.AGENCY, "health"),
        "measures": [Measure("health invited", 14, 16)],
    }
    decoded = transcoder.decode(transcoder.encode(value))
    assert decoded == value
    assert all(type(a) is type(b) for a, b in zip(decoded["codes"], value["codes"], strict=True))
    assert type(decoded["day"]) is date
    assert decoded["actor"].role is Role.AGENCY


def test_the_event_catalogue_lists_every_event_and_its_facts() -> None:
    catalogue = (Path(__file__).resolve().parents[2] / "docs" / "events.md").read_text()
    for cls in event_classes():
        facts = [f.name for f in dataclasses.fields(cls) if f.name not in BASE_FIELDS]
        row = f"| `{cls.__dict__['TOPIC']}` | {', '.join(f'`{n}`' for n in facts)} |"
        assert row in catalogue
