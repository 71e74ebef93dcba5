"""Agency actions: assigned, progressed, re-dated, completed, cancelled, reopened."""

from fastapi import APIRouter

from application import commands as c
from domain.action import AgencyAction
from domain.codes import Role
from infrastructure.http.commands import CommandRoute, add_command_routes
from infrastructure.http.state_routes import add_state_routes
from infrastructure.presentation.states import ActionState
from infrastructure.storage.users import User

router = APIRouter(prefix="/actions", tags=["actions"])


def due_date_command(user: User) -> type[c.Command]:
    """Agency staff propose a new due date; everyone else asks to revise it."""
    return c.ProposeDueDate if user.role is Role.AGENCY else c.ReviseDueDate


add_command_routes(
    router,
    [
        CommandRoute("", c.AssignAction, "Assign an action to an agency"),
        CommandRoute("/{id}/progress", c.NoteProgress, "Note progress"),
        CommandRoute(
            "/{id}/due-date",
            c.ReviseDueDate,
            "Revise the due date (governance) or propose a new one (agency)",
            choose=due_date_command,
        ),
        CommandRoute(
            "/{id}/due-date/accept", c.AcceptDueDate, "Accept an agency's proposed due date"
        ),
        CommandRoute(
            "/{id}/due-date/decline", c.DeclineDueDate, "Decline an agency's proposed due date"
        ),
        CommandRoute("/{id}/reassign", c.ReassignAction, "Reassign to another agency"),
        CommandRoute("/{id}/complete", c.CompleteAction, "Complete, with evidence"),
        CommandRoute("/{id}/cancel", c.CancelAction, "Cancel"),
        CommandRoute("/{id}/reopen", c.ReopenAction, "Reopen a completed or cancelled action"),
    ],
)
add_state_routes(router, AgencyAction, ActionState, "action")
