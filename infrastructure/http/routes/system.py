"""Health of the server."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from infrastructure.http.services import ServicesDep

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


@router.get("/health", summary="Ready to serve; no token needed", response_model_exclude_none=True)
def health(services: ServicesDep) -> Health:
    stalled = sorted(services.read.service.stalled())
    return Health(
        status="degraded" if stalled else "ok",
        database=services.settings.store,
        head=services.trail.head(),
        stalled=stalled or None,
    )
