"""Health of the server."""

from fastapi import APIRouter
from pydantic import BaseModel

from infrastructure.http.services import ServicesDep

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str
    database: str
    head: int


@router.get("/health", summary="Ready to serve; no token needed")
def health(services: ServicesDep) -> Health:
    return Health(status="ok", database=services.settings.store, head=services.trail.head())
