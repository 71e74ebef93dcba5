"""Health of the server."""

from fastapi import APIRouter, Request
from pydantic import BaseModel

from infrastructure.http.problems import Problem
from infrastructure.http.services import Services

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str
    database: str
    head: int


@router.get(
    "/health",
    summary="Ready to serve; no token needed",
    responses={503: {"model": Problem, "description": "the database cannot be reached"}},
)
async def health(request: Request) -> Health:
    """Answers within a second whatever the database does (503 when it does not answer).

    Asynchronous, and without dependencies run in the thread pool, so that requests stuck on
    the database cannot hold it up.
    """
    services: Services = request.app.state.services
    head = await services.head_probe.head()
    return Health(status="ok", database=services.settings.store, head=head)
