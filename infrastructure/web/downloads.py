"""Files to download, as the API and the console answer them: a report's or list's CSV and an
inspection pack's PDF."""

from typing import TYPE_CHECKING, TypeVar

from fastapi import HTTPException
from fastapi.responses import Response
from pydantic import BaseModel

from application.queries import PackQuery
from infrastructure.bootstrap import Services
from infrastructure.integrity.checkpoints import LogBroken
from infrastructure.presentation.reports import Report
from infrastructure.storage.users import User

if TYPE_CHECKING:
    from infrastructure.packs.service import Pack

M = TypeVar("M", bound=BaseModel)
PDF = "application/pdf"


def csv_download(report: Report[M], model: M) -> Response:
    """The registry's CSV of a report (or list), as a file named after it."""
    return Response(
        report.csv(model),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{report.name}.csv"'},
    )


def pack_download(services: Services, user: User, query: PackQuery) -> Response:
    """The pack ``query`` asks for, as an attachment."""
    try:
        made: Pack = services.queries.ask(user.actor, query)
    except LogBroken as broken:
        raise HTTPException(409, str(broken)) from None
    return Response(
        made.pdf,
        media_type=PDF,
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            "X-Pack-SHA256": made.sha256,
            "X-Pack-Checkpoint": str(made.inputs.checkpoint),
        },
    )
