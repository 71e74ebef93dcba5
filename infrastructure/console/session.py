"""Who is signed in: the user whose token the session cookie holds."""

from typing import Annotated

from fastapi import Depends, Request

from infrastructure.console.rendering import SignInRequired
from infrastructure.console.security import COOKIE
from infrastructure.http.services import ServicesDep
from infrastructure.users import User


def signed_in(request: Request, services: ServicesDep) -> User:
    """The session's user (kept on ``request.state`` for error pages), or ``SignInRequired``
    if the cookie is missing or its token unknown or revoked."""
    token = request.cookies.get(COOKIE)
    user = services.users.authenticate(token) if token else None
    if user is None:
        raise SignInRequired
    request.state.user = user
    return user


SignedIn = Annotated[User, Depends(signed_in)]
