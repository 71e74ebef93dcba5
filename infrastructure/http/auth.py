"""Bearer-token authentication: every path but /health names a known, unrevoked user whose
token has not expired; failures are throttled per address and account (``signin.service``)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.errors import Unauthenticated
from application.permissions import authorize_query
from application.queries import Query
from infrastructure.signin.service import TokenRefused
from infrastructure.storage.users import User
from infrastructure.web.clients import client_of
from infrastructure.web.services import ServicesDep

bearer = HTTPBearer(
    auto_error=False,
    description="A user's token, as printed once by `actiontrail users add` or `POST /users`.",
)


def current_user(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> User:
    if credentials is None:
        raise Unauthenticated("send the header 'Authorization: Bearer <token>'")
    try:
        return services.signin.token_user(credentials.credentials, client_of(request))
    except TokenRefused as refused:
        raise Unauthenticated(str(refused)) from None


CurrentUser = Annotated[User, Depends(current_user)]


def asking(kind: type[Query]) -> Callable[[User], User]:
    """A dependency answering the caller if their role may ask ``kind`` at all, checked before
    the parameters (the facade checks again, with the query itself)."""

    def check(user: CurrentUser) -> User:
        authorize_query(user.actor, kind)
        return user

    return check
