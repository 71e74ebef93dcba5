"""Value objects carried inside events."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.codes import ActionSourceKind, RecommendationSourceKind, Role
from domain.errors import InvalidInput

K = TypeVar("K", ActionSourceKind, RecommendationSourceKind)


@dataclass(frozen=True)
class Actor:
    """Who did it: the authenticated user, their role and (for agency staff) their agency."""

    user_id: str
    role: Role
    agency: str | None = None


SYSTEM = Actor(user_id="system", role=Role.GOVERNANCE)


@dataclass(frozen=True)
class Source(Generic[K]):
    """Where a record came from: the kind of source, and its reference."""

    kind: K
    ref: str


@dataclass(frozen=True)
class ActionSource(Source[ActionSourceKind]):
    """Where an action came from: a recommendation, a strategy meeting, a MARAC, or other."""


@dataclass(frozen=True)
class RecommendationSource(Source[RecommendationSourceKind]):
    """The audit, review or inspection that raised a recommendation."""

    title: str


@dataclass(frozen=True)
class Measure:
    """One measure of an assurance exercise, e.g. "health invited": 14 of 16."""

    name: str
    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if self.denominator < 0 or self.numerator < 0:
            raise InvalidInput(f"measure {self.name!r} has a negative count")
        if self.numerator > self.denominator:
            raise InvalidInput(
                f"measure {self.name!r}: numerator {self.numerator} exceeds denominator "
                f"{self.denominator}"
            )
