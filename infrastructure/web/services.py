"""The services the routes work with (``infrastructure.bootstrap``), as a FastAPI dependency."""

from typing import Annotated

from fastapi import Depends, Request

from infrastructure.bootstrap import Services


async def get_services(request: Request) -> Services:
    """Async: it reads an attribute, so it need not wait for a thread of the pool."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
