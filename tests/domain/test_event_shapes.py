"""An event's stored shape may only change with a new class version (and an upcast to it).

``event-shapes.json`` records, per topic, the class version and the fields of that version. When
an event gains or loses a field, this test fails until its class gets a higher ``class_version``
with an ``upcast_vN_vN+1`` method and the file is regenerated:
``python -m tests.domain.test_event_shapes``.
"""

import dataclasses
import json
from pathlib import Path
from typing import Any

from domain.events import BASE_FIELDS
from tests.domain.test_topics_and_transcoding import event_classes

SHAPES = Path(__file__).with_name("event-shapes.json")


def current_shapes() -> dict[str, dict[str, Any]]:
    return {
        cls.__dict__["TOPIC"]: {
            "class_version": getattr(cls, "class_version", 1),
            "fields": sorted(f.name for f in dataclasses.fields(cls) if f.name not in BASE_FIELDS),
        }
        for cls in event_classes()
    }


def unversioned_changes(
    recorded: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]]
) -> list[str]:
    """Topics whose fields changed without a higher class version."""
    problems = []
    for topic, shape in current.items():
        known = recorded.get(topic)
        if known is None:
            continue  # a new event type
        if shape["class_version"] < known["class_version"]:
            problems.append(f"{topic} went back a version")
        elif (
            shape["class_version"] == known["class_version"] and shape["fields"] != known["fields"]
        ):
            problems.append(f"{topic} changed its fields without a new class_version")
    return problems


def test_no_event_changes_shape_without_a_new_class_version() -> None:
    assert unversioned_changes(json.loads(SHAPES.read_text()), current_shapes()) == []


def test_a_field_added_without_a_new_version_is_caught() -> None:
    recorded = json.loads(SHAPES.read_text())
    changed = current_shapes()
    changed["actiontrail.AgencyAction.Completed"]["fields"].append("verified_by")
    assert unversioned_changes(recorded, changed) == [
        "actiontrail.AgencyAction.Completed changed its fields without a new class_version"
    ]
    changed["actiontrail.AgencyAction.Completed"]["class_version"] = 2
    assert unversioned_changes(recorded, changed) == []


def test_every_version_has_its_upcasts() -> None:
    for cls in event_classes():
        for version in range(1, getattr(cls, "class_version", 1)):
            assert callable(getattr(cls, f"upcast_v{version}_v{version + 1}", None)), cls


def test_the_recorded_shapes_are_up_to_date() -> None:
    assert json.loads(SHAPES.read_text()) == current_shapes(), (
        "regenerate with python -m tests.domain.test_event_shapes"
    )


if __name__ == "__main__":
    SHAPES.write_text(json.dumps(current_shapes(), indent=2, sort_keys=True) + "\n")
