"""How event values are written to JSON: every enum, dates and the value objects.

Each transcoding's ``name`` is stored in the event, so names must never change.
"""

import dataclasses
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.codes import ALL_ENUMS
from domain.values import ActionSource, Actor, Measure, RecommendationSource


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    """One instance per enum class; the class name is the stored name."""

    def __init__(self, enum_class: type[Enum]) -> None:
        self.type = enum_class
        self.name = enum_class.__name__
        self._enum_class = enum_class

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self._enum_class(data)


class DataclassAsDict(Transcoding):
    """A frozen dataclass as a dict of its fields (nested values are transcoded in turn)."""

    def __init__(self, cls: type[Any], name: str) -> None:
        self.type = cls
        self.name = name
        self._cls = cls

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self._cls(**data)


VALUE_OBJECTS: dict[str, type[Any]] = {
    "actor": Actor,
    "action_source": ActionSource,
    "recommendation_source": RecommendationSource,
    "measure": Measure,
}


def register_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for enum_class in ALL_ENUMS:
        transcoder.register(EnumAsValue(enum_class))
    for name, cls in VALUE_OBJECTS.items():
        transcoder.register(DataclassAsDict(cls, name))
