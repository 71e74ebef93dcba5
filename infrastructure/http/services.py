"""What the routes work with, held on the FastAPI app for the lifetime of the server."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.users import UserDirectory


@dataclass
class Services:
    settings: Settings
    trail: ActionTrail
    users: UserDirectory
    #: The read side (projections' query service and runner); None until it is wired.
    read: Any = None


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
