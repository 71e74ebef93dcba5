"""The reference data: code lists, statutory partners and timescales; any signed-in user."""

from typing import Annotated

from fastapi import APIRouter, Depends

from application.queries import ReferenceQuery
from infrastructure.http.auth import asking
from infrastructure.presentation.reference import Reference
from infrastructure.storage.users import User
from infrastructure.web.services import ServicesDep

router = APIRouter(tags=["reference data"])
ReferenceReader = Annotated[User, Depends(asking(ReferenceQuery))]


@router.get("/reference", summary="Every code list, the statutory partners and the timescales")
def reference(services: ServicesDep, user: ReferenceReader) -> Reference:
    reference: Reference = services.queries.ask(user.actor, ReferenceQuery())
    return reference
