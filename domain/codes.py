"""Closed vocabularies of the domain, with the codes of the API contract as values.

Plain ``Enum`` with string values rather than ``StrEnum``: a ``StrEnum`` is a ``str`` to the JSON
encoder and would come back from the event store as a bare string.
"""

from enum import Enum, auto
from typing import Any


class Code(Enum):
    """An enum whose value is its public code."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
        """A member's code is its name in lower case, words joined by hyphens."""
        return name.lower().replace("_", "-")

    def __str__(self) -> str:
        return str(self.value)


class Role(Code):
    GOVERNANCE = auto()
    AGENCY = auto()
    INSPECTOR = auto()
    REPORTING = auto()


class MeetingKind(Code):
    CHILD_PROTECTION = auto()
    MISSING = auto()
    EXPLOITATION = auto()
    OTHER = auto()


class MeetingFormat(Code):
    IN_PERSON = auto()
    VIRTUAL = auto()
    PHONE = auto()


class MeetingStatus(Code):
    REQUESTED = auto()
    HELD = auto()
    CANCELLED = auto()


class Decision(Code):
    SECTION_47 = auto()
    POLICE_INVESTIGATION = auto()
    JOINT_VISIT = auto()
    SINGLE_AGENCY_VISIT = auto()
    FURTHER_MEETING = auto()
    NO_FURTHER_ACTION = auto()


class QualityRating(Code):
    CLEAR = auto()
    LACKS_CLARITY = auto()


class RecommendationSourceKind(Code):
    AUDIT = auto()
    REVIEW = auto()
    INSPECTION = auto()


class RecommendationStatus(Code):
    OPEN = auto()
    IN_PROGRESS = auto()
    IMPLEMENTED = auto()
    ASSURED = auto()
    CLOSED = auto()


class Rag(Code):
    RED = auto()
    AMBER = auto()
    GREEN = auto()


class AssuranceKind(Code):
    DIP_SAMPLE = auto()
    RE_AUDIT = auto()


class ActionStatus(Code):
    OPEN = auto()
    COMPLETED = auto()
    CANCELLED = auto()


class ActionSourceKind(Code):
    RECOMMENDATION = auto()
    STRATEGY_MEETING = auto()
    MARAC = auto()
    OTHER = auto()


ALL_ENUMS: tuple[type[Code], ...] = (
    Role,
    MeetingKind,
    MeetingFormat,
    MeetingStatus,
    Decision,
    QualityRating,
    RecommendationSourceKind,
    RecommendationStatus,
    Rag,
    AssuranceKind,
    ActionStatus,
    ActionSourceKind,
)
