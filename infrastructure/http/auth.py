"""Bearer-token authentication: every path but /health names a known, unrevoked user."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.permissions import authorize_query
from application.queries import Query
from infrastructure.http.problems import Unauthenticated
from infrastructure.http.services import ServicesDep
from infrastructure.users import User

bearer = HTTPBearer(
    auto_error=False,
    description="A user's token, as printed once by `actiontrail users add` or `POST /users`.",
)


def current_user(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> User:
    if credentials is None:
        raise Unauthenticated("send the header 'Authorization: Bearer <token>'")
    user = services.users.authenticate(credentials.credentials)
    if user is None:
        raise Unauthenticated("the token is unknown or has been revoked")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def asking(kind: type[Query]) -> Callable[[User], User]:
    """A dependency answering the caller if their role may ask ``kind`` at all, checked before
    the parameters (the facade checks again, with the query itself)."""

    def check(user: CurrentUser) -> User:
        authorize_query(user.actor, kind)
        return user

    return check
