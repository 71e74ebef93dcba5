"""Inspection packs in the console: a form, and the PDF it asks for (governance and
inspectors), as ``GET /packs`` answers it."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from application.permissions import authorize_query
from application.queries import PackQuery
from domain.clock import london_today, utc_now
from infrastructure.console.formatting import LONDON
from infrastructure.console.forms import form_fields
from infrastructure.console.parameters import LocalMoment
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.session import SignedIn
from infrastructure.web.downloads import pack_download
from infrastructure.web.query_parameters import parameters_of
from infrastructure.web.services import ServicesDep

router = APIRouter(route_class=ConsoleRoute)


@router.get("/packs")
def packs(request: Request, services: ServicesDep, user: SignedIn) -> HTMLResponse:
    """The form, filled with today and now, to the second (London time)."""
    authorize_query(user.actor, PackQuery)
    now = utc_now().astimezone(LONDON)
    last = services.integrity.store.last_checkpoint()
    return render(
        request,
        "packs.html",
        user,
        as_of=london_today().isoformat(),
        known_at=now.strftime("%Y-%m-%dT%H:%M:%S"),
        checkpoint=last,
        form=form_fields(PackQuery),
    )


@router.get("/packs.pdf")
def pack_pdf(
    services: ServicesDep,
    user: SignedIn,
    query: Annotated[PackQuery, Depends(parameters_of(PackQuery, LocalMoment))],
) -> Response:
    return pack_download(services, user, query)
