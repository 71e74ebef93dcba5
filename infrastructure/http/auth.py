"""Bearer-token authentication: every path but /health names a known, unrevoked user."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from domain.codes import Role
from infrastructure.http.access import require_role
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


def allow(*roles: Role, to: str) -> Callable[[User], User]:
    """A dependency answering the caller if their role is among ``roles``, checked early."""

    def check(user: CurrentUser) -> User:
        require_role(user, *roles, to=to)
        return user

    return check
