"""Inspection packs: the PDF of the reports as of a day, as known at a time, at a checkpoint of
the log (docs/integrity.md, "Inspection packs")."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from application.queries import PackQuery
from infrastructure.http.auth import asking
from infrastructure.http.parameters import Timestamp
from infrastructure.http.problems import Problem
from infrastructure.storage.users import User
from infrastructure.web.downloads import PDF, pack_download
from infrastructure.web.query_parameters import parameters_of
from infrastructure.web.services import ServicesDep

router = APIRouter(prefix="/packs", tags=["integrity"])
PackReader = Annotated[User, Depends(asking(PackQuery))]


@router.get(
    "",
    summary="An inspection pack (PDF) as of a day, as known at a time (governance and inspectors)",
    response_class=Response,
    responses={
        200: {"content": {PDF: {}}, "description": "the pack, as an attachment"},
        409: {"model": Problem, "description": "the log does not verify: no checkpoint made"},
        422: {
            "model": Problem,
            "description": "a time in the future, a reversed period, an "
            "unknown checkpoint or one that does not cover `known_at`",
        },
    },
)
def pack(
    services: ServicesDep,
    user: PackReader,
    query: Annotated[PackQuery, Depends(parameters_of(PackQuery, Timestamp))],
) -> Response:
    """The same `as_of`, `known_at`, `from` and checkpoint give the same bytes; the header
    `X-Pack-SHA256` is their SHA-256. Check a pack with `actiontrail pack verify FILE`."""
    return pack_download(services, user, query)
