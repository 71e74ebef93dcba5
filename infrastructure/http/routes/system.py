"""Health of the server."""

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from infrastructure.bootstrap import Services
from infrastructure.http.head_probe import HeadProbe
from infrastructure.http.problems import Problem

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(
        description="degraded: some read model is stalled (see `stalled` and GET /projections); "
        "commands and the other reports still work"
    )
    database: str
    head: int
    stalled: list[str] | None = Field(
        default=None,
        description="when degraded: the read models stalled at an event they cannot apply",
    )


@router.get(
    "/health",
    summary="Ready to serve; no token needed",
    response_model_exclude_none=True,
    responses={503: {"model": Problem, "description": "the database cannot be reached"}},
)
async def health(request: Request) -> Health:
    """Answers within a second whatever the database does (503 when it does not answer).

    Asynchronous, and without dependencies run in the thread pool, so that requests stuck on
    the database cannot hold it up; stalls are the runner's own view, read without a query.
    """
    services: Services = request.app.state.services
    probe: HeadProbe = request.app.state.head_probe
    head = await probe.head()
    stalled = sorted(services.read.stalled())
    return Health(
        status="degraded" if stalled else "ok",
        database=services.settings.store,
        head=head,
        stalled=stalled or None,
    )
