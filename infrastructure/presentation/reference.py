"""The reference data a client needs to fill a form or a filter: every code list of the
contract, the statutory partners and the timescales, as this installation configures them."""

from pydantic import BaseModel, Field

from domain import codes
from domain.reference import ReferenceData, agency_name
from projections.standards import Standards


class Timescales(BaseModel):
    meeting_within_working_days: int = Field(description="meeting held after the concern")
    record_shared_within_working_days: int = Field(description="record shared after the meeting")


class Reference(BaseModel):
    agencies: list[str] = Field(description="agency codes, extra agencies included")
    agency_names: dict[str, str] = Field(
        description="each agency's name as a person reads it, by code"
    )
    statutory_partners: list[str]
    health_roles: list[str] = Field(description="health sub-roles (an invitation's `role`)")
    meeting_kinds: list[str]
    meeting_formats: list[str]
    meeting_statuses: list[str]
    decisions: list[str]
    ratings: list[str] = Field(description="record quality ratings")
    recommendation_source_kinds: list[str]
    recommendation_statuses: list[str]
    rags: list[str]
    assurance_kinds: list[str]
    action_statuses: list[str]
    action_source_kinds: list[str]
    user_roles: list[str]
    timescales: Timescales = Field(description="in working days")


def _values(kind: type[codes.Code]) -> list[str]:
    return [str(code.value) for code in kind]


def reference_of(reference: ReferenceData, standards: Standards) -> Reference:
    """The configured reference data: the agencies and partners of ``reference``, the
    timescales of ``standards``, the closed code lists of the domain."""
    return Reference(
        agencies=list(reference.agencies),
        agency_names={code: agency_name(code) for code in reference.agencies},
        statutory_partners=list(reference.statutory_partners),
        health_roles=list(reference.health_roles),
        meeting_kinds=_values(codes.MeetingKind),
        meeting_formats=_values(codes.MeetingFormat),
        meeting_statuses=_values(codes.MeetingStatus),
        decisions=_values(codes.Decision),
        ratings=_values(codes.QualityRating),
        recommendation_source_kinds=_values(codes.RecommendationSourceKind),
        recommendation_statuses=_values(codes.RecommendationStatus),
        rags=_values(codes.Rag),
        assurance_kinds=_values(codes.AssuranceKind),
        action_statuses=_values(codes.ActionStatus),
        action_source_kinds=_values(codes.ActionSourceKind),
        user_roles=_values(codes.Role),
        timescales=Timescales(
            meeting_within_working_days=standards.meeting_within_working_days,
            record_shared_within_working_days=standards.record_shared_within_working_days,
        ),
    )
