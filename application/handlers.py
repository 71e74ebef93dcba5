"""One function per command: turn the validated command into domain calls.

A handler gets the target aggregate (None for a creation command), the envelope and the
application's reference data, and returns an ``Outcome``: the aggregate the command answers with
and any others it changed (agreeing an action answers with the new action and changes the
meeting or recommendation that agreed it).
"""

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar
from uuid import UUID

from application import commands as c
from application.outcome import Outcome
from domain.action import AgencyAction
from domain.codes import ActionSourceKind
from domain.events import Envelope, TrailAggregate
from domain.meeting import StrategyMeeting
from domain.projection_skip import ProjectionSkip
from domain.recommendation import Recommendation
from domain.reference import ReferenceData
from domain.values import ActionSource, Measure, RecommendationSource

C = TypeVar("C", bound=c.Command)
A = TypeVar("A", bound=TrailAggregate)
T = TypeVar("T", bound=TrailAggregate | None)

#: A handler of commands of type ``C`` on a target of type ``T`` (``None`` for a creation).
Handler = Callable[[C, T, Envelope, "HandlerContext"], Outcome]
#: The registry holds handlers of every command type; each command class declares the aggregate
#: type its target is loaded as (``target_type``).
HANDLERS: dict[type[c.Command], Handler[Any, Any]] = {}


class HandlerContext:
    """What handlers may ask of the application, beyond the target aggregate."""

    def __init__(
        self,
        reference: ReferenceData,
        new_id: Callable[[], UUID],
        unfinished_actions: Callable[[list[UUID]], list[UUID]],
    ) -> None:
        self.reference = reference
        self.new_id = new_id
        self.unfinished_actions = unfinished_actions


def handles(command_type: type[C]) -> Callable[[Handler[C, T]], Handler[C, T]]:
    """Register the handler of ``command_type`` (its target type is the command's own)."""

    def register(handler: Handler[C, T]) -> Handler[C, T]:
        HANDLERS[command_type] = handler
        return handler

    return register


#: The commands whose facts pass to one method of the target aggregate, as ``_AS_TAKEN`` says:
#: the command type and the method's name.
PASSED_THROUGH: dict[type[c.Command], str] = {
    c.InviteAgency: "invite",
    c.RescheduleMeeting: "reschedule",
    c.CancelMeeting: "cancel",
    c.HoldMeeting: "hold",
    c.RecordAttendance: "record_attendance",
    c.RecordDecision: "record_decision",
    c.ShareRecord: "share_record",
    c.AssessRecordQuality: "assess_quality",
    c.RecordResponse: "record_response",
    c.CorrectResponse: "correct_response",
    c.RecordAssurance: "record_assurance",
    c.ChangeRecommendationStatus: "change_status",
    c.ReopenRecommendation: "reopen",
    c.NoteProgress: "note_progress",
    c.ProposeDueDate: "propose_due_date",
    c.AcceptDueDate: "accept_due_date",
    c.DeclineDueDate: "decline_due_date",
    c.ReviseDueDate: "revise_due_date",
    c.ReassignAction: "reassign",
    c.CompleteAction: "complete",
    c.CancelAction: "cancel",
    c.ReopenAction: "reopen",
}
#: How a fact of a command becomes what the aggregate takes, by the fact's name: agency codes and
#: roles checked against the reference data, measures as the domain's.
_AS_TAKEN: dict[str, Callable[[ReferenceData, Any], Any]] = {
    "agency": ReferenceData.require_agency,
    "role": ReferenceData.require_role,
    "agencies": lambda reference, codes: [reference.require_agency(a) for a in codes],
    "measures": lambda _, measures: [Measure(m.name, m.numerator, m.denominator) for m in measures],
}
#: The fields of a command that are not facts for its target.
_ENVELOPE_FIELDS = frozenset({"command_id", "expected_version"})


@cache
def _fact_fields(
    command: type[c.Command],
) -> tuple[tuple[str, Callable[[ReferenceData, Any], Any] | None], ...]:
    """A command's facts for its target, each with how it is taken (``_AS_TAKEN``)."""
    return tuple(
        (name, _AS_TAKEN.get(name))
        for name in command.model_fields
        if name not in _ENVELOPE_FIELDS and name != command.target_field
    )


def _facts(cmd: c.Command, ctx: HandlerContext) -> dict[str, Any]:
    """The command's facts as the target's method takes them (``_AS_TAKEN``)."""
    facts = {}
    for name, taken in _fact_fields(type(cmd)):
        value = getattr(cmd, name)
        facts[name] = value if taken is None or value is None else taken(ctx.reference, value)
    return facts


def _passing_to(method: str) -> Handler[c.Command, TrailAggregate]:
    def handler(
        cmd: c.Command, target: TrailAggregate, by: Envelope, ctx: HandlerContext
    ) -> Outcome:
        getattr(target, method)(**_facts(cmd, ctx), by=by)
        return Outcome(target)

    return handler


for _command, _method in PASSED_THROUGH.items():
    handles(_command)(_passing_to(_method))

#: The commands that agree a new action on their target: the kind of source the action records,
#: and the target's method that links it.
AGREEING: dict[type[c.ActionTerms], tuple[ActionSourceKind, str]] = {
    c.AgreeMeetingAction: (ActionSourceKind.STRATEGY_MEETING, "agree_action"),
    c.AgreeRecommendationAction: (ActionSourceKind.RECOMMENDATION, "link_action"),
}


def _agreeing(kind: ActionSourceKind, link: str) -> Handler[c.ActionTerms, TrailAggregate]:
    def handler(
        cmd: c.ActionTerms, target: TrailAggregate, by: Envelope, ctx: HandlerContext
    ) -> Outcome:
        action = _new_action(ctx, ActionSource(kind, str(target.id)), cmd, by)
        getattr(target, link)(action_id=action.id, agreed_on=action.agreed_on, by=by)
        return Outcome(action, others=(target,))

    return handler


for _command, (_kind, _link) in AGREEING.items():
    handles(_command)(_agreeing(_kind, _link))


# Strategy meetings


@handles(c.RequestMeeting)
def request_meeting(cmd: c.RequestMeeting, _: None, by: Envelope, ctx: HandlerContext) -> Outcome:
    return Outcome(StrategyMeeting.request(id=ctx.new_id(), **_facts(cmd, ctx), by=by))


# Recommendations


@handles(c.RaiseRecommendation)
def raise_recommendation(
    cmd: c.RaiseRecommendation, _: None, by: Envelope, ctx: HandlerContext
) -> Outcome:
    source = RecommendationSource(cmd.source.kind, cmd.source.ref, cmd.source.title)
    facts = _facts(cmd, ctx) | {"source": source}
    return Outcome(Recommendation.raise_(id=ctx.new_id(), **facts, by=by))


@handles(c.CloseRecommendation)
def close_recommendation(
    cmd: c.CloseRecommendation, rec: Recommendation, by: Envelope, ctx: HandlerContext
) -> Outcome:
    open_action_ids = ctx.unfinished_actions(rec.action_ids)
    rec.close(**_facts(cmd, ctx), open_action_ids=open_action_ids, by=by)
    return Outcome(rec)


# Agency actions


@handles(c.AssignAction)
def assign_action(cmd: c.AssignAction, _: None, by: Envelope, ctx: HandlerContext) -> Outcome:
    return Outcome(_new_action(ctx, ActionSource(cmd.source.kind, cmd.source.ref), cmd, by))


# Read models


@handles(c.RecordProjectionSkip)
def record_projection_skip(
    cmd: c.RecordProjectionSkip, _: None, by: Envelope, ctx: HandlerContext
) -> Outcome:
    return Outcome(
        ProjectionSkip.grant(
            projection=cmd.projection, position=cmd.position, reason=cmd.reason, by=by
        )
    )


def _new_action(
    ctx: HandlerContext,
    source: ActionSource,
    cmd: c.ActionTerms,
    by: Envelope,
) -> AgencyAction:
    return AgencyAction.assign(
        id=ctx.new_id(),
        source=source,
        agency=ctx.reference.require_agency(cmd.agency),
        owner_role=cmd.owner_role,
        description=cmd.description,
        due_on=cmd.due_on,
        agreed_on=cmd.agreed_on,
        by=by,
    )
