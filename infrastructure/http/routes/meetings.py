"""Strategy meetings: from the concern being raised to the quality of the record."""

from fastapi import APIRouter

from application import commands as c
from domain.meeting import StrategyMeeting
from infrastructure.http.commands import CommandRoute, add_command_routes
from infrastructure.http.state_routes import add_state_routes
from infrastructure.presentation.states import MeetingState

router = APIRouter(prefix="/meetings", tags=["strategy meetings"])

add_command_routes(
    router,
    [
        CommandRoute("", c.RequestMeeting, "Request a strategy meeting"),
        CommandRoute("/{id}/invitations", c.InviteAgency, "Invite an agency"),
        CommandRoute("/{id}/reschedule", c.RescheduleMeeting, "Reschedule the meeting"),
        CommandRoute("/{id}/cancel", c.CancelMeeting, "Cancel the meeting"),
        CommandRoute("/{id}/held", c.HoldMeeting, "Record that the meeting was held"),
        CommandRoute("/{id}/attendance", c.RecordAttendance, "Record an agency's attendance"),
        CommandRoute("/{id}/decisions", c.RecordDecision, "Record a decision"),
        CommandRoute("/{id}/actions", c.AgreeMeetingAction, "Agree an action (creates it)"),
        CommandRoute("/{id}/record-shared", c.ShareRecord, "Record that the record was shared"),
        CommandRoute(
            "/{id}/quality-assessments", c.AssessRecordQuality, "Assess the record's quality"
        ),
    ],
)
add_state_routes(router, StrategyMeeting, MeetingState, "strategy meeting")
