"""Governance's work queue: agency submissions waiting for a decision, oldest first."""

from fastapi import APIRouter

from infrastructure.http.query_routes import CSV_RESPONSE, add_query_route
from infrastructure.presentation.reports import WORK_QUEUE

router = APIRouter(tags=["work queue"], responses=CSV_RESPONSE)
add_query_route(
    router,
    WORK_QUEUE,
    name="work_queue",
    summary="Agency submissions waiting for governance, oldest first",
)
