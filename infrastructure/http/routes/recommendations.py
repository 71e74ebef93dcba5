"""Recommendations: raised by an audit, answered by dated responses, assured and closed."""

from fastapi import APIRouter

from application import commands as c
from domain.recommendation import Recommendation
from infrastructure.http.commands import CommandRoute, add_command_routes
from infrastructure.http.state_routes import add_state_routes
from infrastructure.presentation.states import RecommendationState

router = APIRouter(prefix="/recommendations", tags=["recommendations"])

add_command_routes(
    router,
    [
        CommandRoute("", c.RaiseRecommendation, "Raise a recommendation"),
        CommandRoute("/{id}/responses", c.RecordResponse, "Record a dated response"),
        CommandRoute(
            "/{id}/responses/{n}/corrections", c.CorrectResponse, "Correct response number n"
        ),
        CommandRoute("/{id}/actions", c.AgreeRecommendationAction, "Agree an action (creates it)"),
        CommandRoute("/{id}/assurance", c.RecordAssurance, "Record a dip sample or re-audit"),
        CommandRoute("/{id}/status", c.ChangeRecommendationStatus, "Change status and RAG"),
        CommandRoute("/{id}/close", c.CloseRecommendation, "Close, with evidence"),
        CommandRoute("/{id}/reopen", c.ReopenRecommendation, "Reopen a closed recommendation"),
    ],
)
add_state_routes(router, Recommendation, RecommendationState, "recommendation")
