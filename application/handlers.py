"""One function per command: turn the validated command into domain calls.

A handler gets the target aggregate (None for a creation command), the envelope and the
application's reference data, and returns an ``Outcome``: the aggregate the command answers with
and any others it changed (agreeing an action answers with the new action and changes the
meeting or recommendation that agreed it).
"""

from collections.abc import Callable
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


# Strategy meetings


@handles(c.RequestMeeting)
def request_meeting(cmd: c.RequestMeeting, _: None, by: Envelope, ctx: HandlerContext) -> Outcome:
    return Outcome(
        StrategyMeeting.request(
            id=ctx.new_id(),
            case_ref=cmd.case_ref,
            concern_raised_at=cmd.concern_raised_at,
            kind=cmd.kind,
            team=cmd.team,
            by=by,
        )
    )


@handles(c.InviteAgency)
def invite_agency(
    cmd: c.InviteAgency, meeting: StrategyMeeting, by: Envelope, ctx: HandlerContext
) -> Outcome:
    meeting.invite(
        agency=ctx.reference.require_agency(cmd.agency),
        role=ctx.reference.require_role(cmd.role),
        by=by,
    )
    return Outcome(meeting)


@handles(c.RescheduleMeeting)
def reschedule_meeting(
    cmd: c.RescheduleMeeting, meeting: StrategyMeeting, by: Envelope, _: HandlerContext
) -> Outcome:
    meeting.reschedule(scheduled_for=cmd.scheduled_for, reason=cmd.reason, by=by)
    return Outcome(meeting)


@handles(c.CancelMeeting)
def cancel_meeting(
    cmd: c.CancelMeeting, meeting: StrategyMeeting, by: Envelope, _: HandlerContext
) -> Outcome:
    meeting.cancel(reason=cmd.reason, by=by)
    return Outcome(meeting)


@handles(c.HoldMeeting)
def hold_meeting(
    cmd: c.HoldMeeting, meeting: StrategyMeeting, by: Envelope, _: HandlerContext
) -> Outcome:
    meeting.hold(held_at=cmd.held_at, format=cmd.format, by=by)
    return Outcome(meeting)


@handles(c.RecordAttendance)
def record_attendance(
    cmd: c.RecordAttendance, meeting: StrategyMeeting, by: Envelope, ctx: HandlerContext
) -> Outcome:
    meeting.record_attendance(
        agency=ctx.reference.require_agency(cmd.agency),
        role=ctx.reference.require_role(cmd.role),
        attended=cmd.attended,
        note=cmd.note,
        by=by,
    )
    return Outcome(meeting)


@handles(c.RecordDecision)
def record_decision(
    cmd: c.RecordDecision, meeting: StrategyMeeting, by: Envelope, _: HandlerContext
) -> Outcome:
    meeting.record_decision(decision=cmd.decision, rationale=cmd.rationale, by=by)
    return Outcome(meeting)


@handles(c.AgreeMeetingAction)
def agree_meeting_action(
    cmd: c.AgreeMeetingAction, meeting: StrategyMeeting, by: Envelope, ctx: HandlerContext
) -> Outcome:
    action = _new_action(
        ctx, ActionSource(ActionSourceKind.STRATEGY_MEETING, str(meeting.id)), cmd, by
    )
    meeting.agree_action(action_id=action.id, agreed_on=action.agreed_on, by=by)
    return Outcome(action, others=(meeting,))


@handles(c.ShareRecord)
def share_record(
    cmd: c.ShareRecord, meeting: StrategyMeeting, by: Envelope, ctx: HandlerContext
) -> Outcome:
    meeting.share_record(
        shared_at=cmd.shared_at,
        agencies=[ctx.reference.require_agency(a) for a in cmd.agencies],
        by=by,
    )
    return Outcome(meeting)


@handles(c.AssessRecordQuality)
def assess_record_quality(
    cmd: c.AssessRecordQuality, meeting: StrategyMeeting, by: Envelope, _: HandlerContext
) -> Outcome:
    meeting.assess_quality(
        rating=cmd.rating,
        audit_ref=cmd.audit_ref,
        notes=cmd.notes,
        assessed_on=cmd.assessed_on,
        by=by,
    )
    return Outcome(meeting)


# Recommendations


@handles(c.RaiseRecommendation)
def raise_recommendation(
    cmd: c.RaiseRecommendation, _: None, by: Envelope, ctx: HandlerContext
) -> Outcome:
    source = RecommendationSource(cmd.source.kind, cmd.source.ref, cmd.source.title)
    return Outcome(
        Recommendation.raise_(
            id=ctx.new_id(),
            source=source,
            number=cmd.number,
            text=cmd.text,
            raised_on=cmd.raised_on,
            by=by,
        )
    )


@handles(c.RecordResponse)
def record_response(
    cmd: c.RecordResponse, rec: Recommendation, by: Envelope, ctx: HandlerContext
) -> Outcome:
    agency = ctx.reference.require_agency(cmd.agency) if cmd.agency else None
    rec.record_response(text=cmd.text, dated=cmd.dated, agency=agency, by=by)
    return Outcome(rec)


@handles(c.CorrectResponse)
def correct_response(
    cmd: c.CorrectResponse, rec: Recommendation, by: Envelope, _: HandlerContext
) -> Outcome:
    rec.correct_response(number=cmd.number, text=cmd.text, reason=cmd.reason, by=by)
    return Outcome(rec)


@handles(c.AgreeRecommendationAction)
def agree_recommendation_action(
    cmd: c.AgreeRecommendationAction, rec: Recommendation, by: Envelope, ctx: HandlerContext
) -> Outcome:
    action = _new_action(ctx, ActionSource(ActionSourceKind.RECOMMENDATION, str(rec.id)), cmd, by)
    rec.link_action(action_id=action.id, agreed_on=action.agreed_on, by=by)
    return Outcome(action, others=(rec,))


@handles(c.RecordAssurance)
def record_assurance(
    cmd: c.RecordAssurance, rec: Recommendation, by: Envelope, _: HandlerContext
) -> Outcome:
    rec.record_assurance(
        kind=cmd.kind,
        dated=cmd.dated,
        sample_size=cmd.sample_size,
        measures=[Measure(m.name, m.numerator, m.denominator) for m in cmd.measures],
        summary=cmd.summary,
        by=by,
    )
    return Outcome(rec)


@handles(c.ChangeRecommendationStatus)
def change_recommendation_status(
    cmd: c.ChangeRecommendationStatus, rec: Recommendation, by: Envelope, _: HandlerContext
) -> Outcome:
    rec.change_status(
        status=cmd.status, rag=cmd.rag, reason=cmd.reason, effective_on=cmd.effective_on, by=by
    )
    return Outcome(rec)


@handles(c.CloseRecommendation)
def close_recommendation(
    cmd: c.CloseRecommendation, rec: Recommendation, by: Envelope, ctx: HandlerContext
) -> Outcome:
    rec.close(
        evidence=cmd.evidence,
        reason=cmd.reason,
        override=cmd.override,
        open_action_ids=ctx.unfinished_actions(rec.action_ids),
        effective_on=cmd.effective_on,
        by=by,
    )
    return Outcome(rec)


@handles(c.ReopenRecommendation)
def reopen_recommendation(
    cmd: c.ReopenRecommendation, rec: Recommendation, by: Envelope, _: HandlerContext
) -> Outcome:
    rec.reopen(reason=cmd.reason, effective_on=cmd.effective_on, by=by)
    return Outcome(rec)


# Agency actions


@handles(c.AssignAction)
def assign_action(cmd: c.AssignAction, _: None, by: Envelope, ctx: HandlerContext) -> Outcome:
    return Outcome(_new_action(ctx, ActionSource(cmd.source.kind, cmd.source.ref), cmd, by))


@handles(c.NoteProgress)
def note_progress(
    cmd: c.NoteProgress, action: AgencyAction, by: Envelope, _: HandlerContext
) -> Outcome:
    action.note_progress(note=cmd.note, by=by)
    return Outcome(action)


@handles(c.ProposeDueDate)
def propose_due_date(
    cmd: c.ProposeDueDate, action: AgencyAction, by: Envelope, _: HandlerContext
) -> Outcome:
    action.propose_due_date(
        due_on=cmd.due_on, reason=cmd.reason, effective_on=cmd.effective_on, by=by
    )
    return Outcome(action)


@handles(c.AcceptDueDate)
def accept_due_date(
    cmd: c.AcceptDueDate, action: AgencyAction, by: Envelope, _: HandlerContext
) -> Outcome:
    action.accept_due_date(reason=cmd.reason, by=by)
    return Outcome(action)


@handles(c.DeclineDueDate)
def decline_due_date(
    cmd: c.DeclineDueDate, action: AgencyAction, by: Envelope, _: HandlerContext
) -> Outcome:
    action.decline_due_date(reason=cmd.reason, by=by)
    return Outcome(action)


@handles(c.ReviseDueDate)
def revise_due_date(
    cmd: c.ReviseDueDate, action: AgencyAction, by: Envelope, _: HandlerContext
) -> Outcome:
    action.revise_due_date(
        due_on=cmd.due_on, reason=cmd.reason, effective_on=cmd.effective_on, by=by
    )
    return Outcome(action)


@handles(c.ReassignAction)
def reassign_action(
    cmd: c.ReassignAction, action: AgencyAction, by: Envelope, ctx: HandlerContext
) -> Outcome:
    action.reassign(
        agency=ctx.reference.require_agency(cmd.agency),
        reason=cmd.reason,
        effective_on=cmd.effective_on,
        by=by,
    )
    return Outcome(action)


@handles(c.CompleteAction)
def complete_action(
    cmd: c.CompleteAction, action: AgencyAction, by: Envelope, _: HandlerContext
) -> Outcome:
    action.complete(completed_on=cmd.completed_on, evidence=cmd.evidence, by=by)
    return Outcome(action)


@handles(c.CancelAction)
def cancel_action(
    cmd: c.CancelAction, action: AgencyAction, by: Envelope, _: HandlerContext
) -> Outcome:
    action.cancel(reason=cmd.reason, effective_on=cmd.effective_on, by=by)
    return Outcome(action)


@handles(c.ReopenAction)
def reopen_action(
    cmd: c.ReopenAction, action: AgencyAction, by: Envelope, _: HandlerContext
) -> Outcome:
    action.reopen(reason=cmd.reason, effective_on=cmd.effective_on, by=by)
    return Outcome(action)


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
    cmd: c.AgreeMeetingAction | c.AgreeRecommendationAction | c.AssignAction,
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
