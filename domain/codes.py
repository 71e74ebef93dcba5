"""Closed vocabularies of the domain, with the codes of the API contract as values.

Plain ``Enum`` with string values rather than ``StrEnum``: a ``StrEnum`` is a ``str`` to the JSON
encoder and would come back from the event store as a bare string.
"""

from enum import Enum


class Code(Enum):
    """An enum whose value is its public code."""

    def __str__(self) -> str:
        return str(self.value)


class Role(Code):
    GOVERNANCE = "governance"
    AGENCY = "agency"
    INSPECTOR = "inspector"
    REPORTING = "reporting"


class MeetingKind(Code):
    CHILD_PROTECTION = "child-protection"
    MISSING = "missing"
    EXPLOITATION = "exploitation"
    OTHER = "other"


class MeetingFormat(Code):
    IN_PERSON = "in-person"
    VIRTUAL = "virtual"
    PHONE = "phone"


class MeetingStatus(Code):
    REQUESTED = "requested"
    HELD = "held"
    CANCELLED = "cancelled"


class Decision(Code):
    SECTION_47 = "section-47"
    POLICE_INVESTIGATION = "police-investigation"
    JOINT_VISIT = "joint-visit"
    SINGLE_AGENCY_VISIT = "single-agency-visit"
    FURTHER_MEETING = "further-meeting"
    NO_FURTHER_ACTION = "no-further-action"


class QualityRating(Code):
    CLEAR = "clear"
    LACKS_CLARITY = "lacks-clarity"


class RecommendationSourceKind(Code):
    AUDIT = "audit"
    REVIEW = "review"
    INSPECTION = "inspection"


class RecommendationStatus(Code):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    IMPLEMENTED = "implemented"
    ASSURED = "assured"
    CLOSED = "closed"


class Rag(Code):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class AssuranceKind(Code):
    DIP_SAMPLE = "dip-sample"
    RE_AUDIT = "re-audit"


class ActionStatus(Code):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ActionSourceKind(Code):
    RECOMMENDATION = "recommendation"
    STRATEGY_MEETING = "strategy-meeting"
    MARAC = "marac"
    OTHER = "other"


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
