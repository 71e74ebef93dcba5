"""What the routes work with, held on the FastAPI app for the lifetime of the server."""

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.http.head_probe import HeadProbe
from infrastructure.presentation.queries import Queries
from infrastructure.projections_wiring import ReadSide
from infrastructure.users import UserDirectory


@dataclass
class Services:
    settings: Settings
    trail: ActionTrail
    users: UserDirectory
    #: The read models' query service, with the projections running in this process.
    read: ReadSide
    #: Reads the head for ``/health`` without letting a silent database hold it.
    head_probe: HeadProbe = field(init=False)
    #: Every read the routes answer, authorised for the caller.
    queries: Queries = field(init=False)

    def __post_init__(self) -> None:
        self.head_probe = HeadProbe(self.trail.head)
        self.queries = Queries(lambda: self.read.service, self.trail)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
