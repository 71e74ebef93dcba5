"""Human references for records: what a person reads instead of an id.

A recommendation reads "SM-AUDIT-2023 recommendation 1" (its source's reference and its
number); a meeting "CASE-23-101 meeting of 14 June 2023" (its case reference and the London
date it was held; one not held yet "CASE-23-101 meeting requested 13 June 2023", the date the
concern was raised); an action "<its source's label> action: <its description, shortened>";
a MARAC or other source its own reference. Labels are worked out when an answer is read, from
the records as they stand (``Labels`` loads each one once per answer), so they follow a meeting
being held; an id no record has keeps its reference as its label.
"""

from collections.abc import Callable
from datetime import date
from uuid import UUID

from domain.action import AgencyAction
from domain.clock import london_date
from domain.codes import ActionSourceKind
from domain.events import TrailAggregate
from domain.meeting import StrategyMeeting
from domain.projection_skip import ProjectionSkip
from domain.recommendation import Recommendation
from domain.values import ActionSource

#: The API's path of each kind of record a source can be.
PATHS = {
    ActionSourceKind.RECOMMENDATION: "/recommendations",
    ActionSourceKind.STRATEGY_MEETING: "/meetings",
}
DESCRIPTION_IN_LABEL = 60

Find = Callable[[UUID], TrailAggregate | None]


def day_in_words(day: date) -> str:
    """``14 June 2023``."""
    return f"{day.day} {day:%B %Y}"


def recommendation_label(r: Recommendation) -> str:
    return f"{r.source.ref} recommendation {r.number}"


def meeting_label(m: StrategyMeeting) -> str:
    if m.held_at is not None:
        return f"{m.case_ref} meeting of {day_in_words(london_date(m.held_at))}"
    return f"{m.case_ref} meeting requested {day_in_words(london_date(m.concern_raised_at))}"


def source_id(source: ActionSource) -> UUID | None:
    """The id of the recommendation or meeting an action came from (None for the others, or a
    reference that is no id)."""
    if source.kind not in PATHS:
        return None
    try:
        return UUID(source.ref)
    except ValueError:
        return None


def source_href(source: ActionSource) -> str | None:
    """The API path of the record an action came from, if it is one."""
    found = source_id(source)
    return f"{PATHS[source.kind]}/{found}" if found is not None else None


class Labels:
    """The labels of the records one answer names, each record loaded once (``find``: a
    record by id, unchecked: a label is shown only beside what the reader may already see)."""

    def __init__(self, find: Find) -> None:
        self._find = find
        self._labels: dict[UUID, str | None] = {}

    def of(self, aggregate_id: UUID) -> str | None:
        """The label of the record with this id, None if there is none."""
        if aggregate_id not in self._labels:
            found = self._find(aggregate_id)
            self._labels[aggregate_id] = None if found is None else self.label(found)
        return self._labels[aggregate_id]

    def label(self, aggregate: TrailAggregate) -> str:
        if isinstance(aggregate, Recommendation):
            return recommendation_label(aggregate)
        if isinstance(aggregate, StrategyMeeting):
            return meeting_label(aggregate)
        if isinstance(aggregate, AgencyAction):
            description = aggregate.description
            if len(description) > DESCRIPTION_IN_LABEL:
                description = description[: DESCRIPTION_IN_LABEL - 1].rstrip() + "…"
            return f"{self.source(aggregate.source)} action: {description}"
        if isinstance(aggregate, ProjectionSkip):
            return f"skip of {aggregate.projection} at position {aggregate.position}"
        return str(aggregate.id)

    def source(self, source: ActionSource) -> str:
        """An action's source: the label of its recommendation or meeting, else its reference."""
        found = source_id(source)
        label = self.of(found) if found is not None else None
        return label or source.ref

    def source_of(self, kind: str, ref: str) -> str:
        """As ``source``, from a read model's ``source_kind`` and ``source_ref``."""
        return self.source(ActionSource(ActionSourceKind(kind), ref))
