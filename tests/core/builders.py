"""Short ways to bring aggregates into a given state through the application service."""

from datetime import UTC, date, datetime
from uuid import UUID

from application import commands as c
from application.service import ActionTrail
from domain.codes import (
    ActionSourceKind,
    MeetingFormat,
    MeetingKind,
    RecommendationSourceKind,
)
from domain.values import Actor

CONCERN = datetime(2023, 6, 13, 9, 30, tzinfo=UTC)
HELD = datetime(2023, 6, 14, 10, 0, tzinfo=UTC)
AGREED = date(2023, 11, 1)


def request_meeting(app: ActionTrail, by: Actor, concern: datetime = CONCERN) -> UUID:
    return app.execute(
        c.RequestMeeting(
            case_ref="CASE-1",
            concern_raised_at=concern,
            kind=MeetingKind.CHILD_PROTECTION,
            team="North",
        ),
        by,
    ).id


def held_meeting(
    app: ActionTrail, by: Actor, agencies: tuple[str, ...] = ("police", "health")
) -> UUID:
    meeting_id = request_meeting(app, by)
    for agency in agencies:
        app.execute(c.InviteAgency(meeting_id=meeting_id, agency=agency), by)
    app.execute(
        c.HoldMeeting(meeting_id=meeting_id, held_at=HELD, format=MeetingFormat.VIRTUAL), by
    )
    return meeting_id


def raise_recommendation(app: ActionTrail, by: Actor, number: int = 1) -> UUID:
    return app.execute(
        c.RaiseRecommendation(
            source=c.RecommendationSourceIn(
                kind=RecommendationSourceKind.AUDIT,
                ref="SM-AUDIT-2023",
                title="Strategy meetings audit",
            ),
            number=number,
            text="Health should be invited to every strategy meeting",
            raised_on=date(2023, 10, 2),
        ),
        by,
    ).id


def assign_action(
    app: ActionTrail, by: Actor, agency: str = "health", due_on: date = date(2023, 12, 1)
) -> UUID:
    return app.execute(
        c.AssignAction(
            source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref="MARAC-7"),
            agency=agency,
            description="Flag the case on the GP record",
            due_on=due_on,
            agreed_on=min(due_on, AGREED),
        ),
        by,
    ).id
