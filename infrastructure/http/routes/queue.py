"""Governance's work queue: agency submissions waiting for a decision, oldest first."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from application.queries import QueueQuery
from infrastructure.http.auth import asking
from infrastructure.http.routes.reports import CSV_RESPONSE, Format, FormatQuery, answer
from infrastructure.presentation.reports import WORK_QUEUE
from infrastructure.storage.users import User
from infrastructure.web.services import ServicesDep

router = APIRouter(tags=["work queue"])
QueueReader = Annotated[User, Depends(asking(QueueQuery))]


@router.get(
    "/queue",
    response_model=WORK_QUEUE.model,
    responses=CSV_RESPONSE,
    summary="Agency submissions waiting for governance, oldest first",
    description="Each item is one `kind` of submission on one open action: today "
    "`due-date-proposal` (an agency's proposed due date; decide it with "
    "`POST /actions/{id}/due-date/accept` or `/decline`). `working_days_waiting` counts from "
    "the London date it was submitted (day 0) to today. Governance and inspectors.",
)
def work_queue(services: ServicesDep, user: QueueReader, format: FormatQuery = Format.JSON) -> Any:
    return answer(WORK_QUEUE, services.queries.work_queue(user.actor, QueueQuery()), format)
