"""What the routes work with, held on the FastAPI app for the lifetime of the server."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.projections_wiring import ReadSide
from infrastructure.users import UserDirectory


@dataclass
class Services:
    settings: Settings
    trail: ActionTrail
    users: UserDirectory
    #: The read models' query service, with the projections running in this process.
    read: ReadSide


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
