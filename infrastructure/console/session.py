"""Who is signed in: the user of the live session whose secret the session cookie holds."""

from typing import Annotated

from fastapi import Depends, Request

from infrastructure.console.csrf import token_for
from infrastructure.console.rendering import SignInRequired
from infrastructure.console.security import COOKIE
from infrastructure.storage.users import User
from infrastructure.web.services import ServicesDep


def signed_in(request: Request, services: ServicesDep) -> User:
    """The session's user, or ``SignInRequired`` if the cookie is missing or its session
    unknown, ended, idle too long or past its lifetime, or its user revoked. The user, the
    session and the pages' CSRF token are kept on ``request.state``."""
    secret = request.cookies.get(COOKIE)
    current = services.signin.sessions.current(secret) if secret else None
    if current is None or secret is None:
        raise SignInRequired
    request.state.user = current.user
    request.state.session = current.session
    request.state.csrf_token = token_for(secret)
    return current.user


SignedIn = Annotated[User, Depends(signed_in)]
