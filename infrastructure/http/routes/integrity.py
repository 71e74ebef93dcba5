"""The log's integrity: verification against its hash chain and signed checkpoints, and the
public key that verifies them (docs/integrity.md)."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import PlainTextResponse

from application.queries import IntegrityQuery, PublicKeyQuery
from infrastructure.http.auth import asking
from infrastructure.http.problems import Problem
from infrastructure.integrity.report import IntegrityReport
from infrastructure.storage.users import User
from infrastructure.web.query_parameters import parameters_of
from infrastructure.web.services import ServicesDep

router = APIRouter(prefix="/integrity", tags=["integrity"])
Verifier = Annotated[User, Depends(asking(IntegrityQuery))]
KeyReader = Annotated[User, Depends(asking(PublicKeyQuery))]
PEM = "application/x-pem-file"


@router.get(
    "",
    summary="Verify the log against its hash chain and signed checkpoints (governance and "
    "inspectors)",
    responses={404: {"model": Problem, "description": "no checkpoint numbered `from`"}},
)
def integrity(
    services: ServicesDep,
    user: Verifier,
    query: Annotated[IntegrityQuery, Depends(parameters_of(IntegrityQuery))],
) -> IntegrityReport:
    """Recomputes the chain over every stored event (from checkpoint `from` when given) and
    checks every checkpoint's signature with the trusted public keys: `status` is `broken` at
    the first position that does not match, `first_mismatch` says what differs there.

    Reads the whole log: 5 to 10 seconds a million events (docs/performance.md)."""
    report: IntegrityReport = services.queries.ask(user.actor, query)
    return report


@router.get(
    "/public-key",
    summary="The Ed25519 public key that verifies the checkpoints (PEM)",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {PEM: {}}, "description": "the public key, PEM"},
        404: {"model": Problem, "description": "no key is configured"},
    },
)
def public_key(services: ServicesDep, user: KeyReader) -> PlainTextResponse:
    pem: str | None = services.queries.ask(user.actor, PublicKeyQuery())
    if pem is None:
        raise HTTPException(
            404,
            "this server has no signing key (ACTIONTRAIL_SIGNING_KEY_FILE) nor trusted public "
            "key (ACTIONTRAIL_PUBLIC_KEYS_FILE): its checkpoints are unsigned",
        )
    return PlainTextResponse(pem, media_type=PEM)
