"""The services the routes work with (``infrastructure.bootstrap``), as a FastAPI dependency."""

from typing import Annotated

from fastapi import Depends, Request

from infrastructure.bootstrap import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
