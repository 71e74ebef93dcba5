"""Signing in, as the API, the console and the command line ask for it: a token checked and
throttled, a console session started and ended, single sign-on matched to a user; each
recorded (``records``)."""

import getpass
import socket
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine

from application.errors import NotFound
from infrastructure.config import Settings
from infrastructure.signin.oidc import Identity, OidcSignIn, SignInFailed
from infrastructure.signin.records import SignInEvent, SignInRecords
from infrastructure.signin.sessions import Sessions, Started
from infrastructure.signin.tables import metadata
from infrastructure.signin.throttling import Throttle, account_key, address_key
from infrastructure.storage.users import TOKEN_PROBLEMS, NewUser, User, UserDirectory

TOKEN = "token"


class Throttled(Exception):
    """Too many failures from this address or for this account: try again after ``seconds``."""

    def __init__(self, seconds: int) -> None:
        super().__init__(
            f"too many failed sign-ins or tokens from here or for this account; "
            f"try again in {seconds} seconds"
        )
        self.seconds = seconds


class TokenRefused(Exception):
    """The token does not work; the message says why (unknown, revoked or expired)."""


@dataclass(frozen=True)
class Client:
    """Where a request came from, for the record."""

    address: str | None
    user_agent: str | None = None


class SignIn:
    def __init__(self, engine: Engine, settings: Settings, users: UserDirectory) -> None:
        metadata.create_all(engine)
        self.users = users
        self.records = SignInRecords(engine)
        self.sessions = Sessions(
            engine,
            idle=timedelta(minutes=settings.session_idle_minutes),
            lifetime=timedelta(hours=settings.session_lifetime_hours),
        )
        self.throttle = Throttle(
            engine, settings.throttle_failures, timedelta(minutes=settings.throttle_minutes)
        )
        self.oidc = OidcSignIn(engine, settings.oidc_providers, settings.base_url)

    def token_user(
        self, token: str, client: Client, failure: SignInEvent = SignInEvent.TOKEN_REFUSED
    ) -> User:
        """The user of a working token, unless this address or account is throttled
        (``Throttled``); a token that does not work counts as a failure (``TokenRefused``)."""
        check = self.users.check_token(token)
        keys = [address_key(client.address)]
        if check.user is not None:
            keys.append(account_key(check.user.id))
        self._not_throttled(keys)
        if check.problem is not None:
            self.throttle.failed(keys)
            self.records.add(
                failure,
                method=TOKEN,
                user_id=check.user.id if check.user else None,
                address=client.address,
                detail=f"{check.problem.value} token",
            )
            raise TokenRefused(TOKEN_PROBLEMS[check.problem])
        assert check.user is not None
        return check.user

    def start_session(self, user: User, method: str, client: Client) -> Started:
        started = self.sessions.start(user, method, client.address, client.user_agent)
        self.records.add(
            SignInEvent.SIGNED_IN,
            method=method,
            user_id=user.id,
            address=client.address,
            detail=f"session {started.session.id}",
        )
        return started

    def sign_out(self, secret: str, client: Client) -> None:
        current = self.sessions.current(secret)
        if current is None:
            return
        self.sessions.end(current.session.id, by=current.user.id, reason="signed out")
        self.records.add(
            SignInEvent.SIGNED_OUT,
            method=current.session.method,
            user_id=current.user.id,
            address=client.address,
            detail=f"session {current.session.id}",
        )

    def end_session(self, user_id: str, session_id: str, by: User, client: Client) -> None:
        """End one of ``user_id``'s sessions (by them, or by governance)."""
        session = self.sessions.get(session_id)
        if session.user_id != user_id:
            raise NotFound("session", session_id)
        if session.ended_at is None:
            self.sessions.end(session_id, by=by.id, reason=f"ended by {by.id}")
            self.records.add(
                SignInEvent.SESSION_ENDED,
                method=session.method,
                user_id=user_id,
                address=client.address,
                detail=f"session {session_id} ended by {by.id}",
            )

    def oidc_user(
        self, provider_name: str, params: dict[str, str], browser: str | None, client: Client
    ) -> User:
        """The user single sign-on identified, matched by subject or verified e-mail; never
        one made on the spot. Failures count towards throttling and are recorded."""
        keys = [address_key(client.address)]
        self._not_throttled(keys)
        method = f"oidc:{provider_name}"
        try:
            identity = self.oidc.finish(provider_name, params, browser)
            user = self._matched(identity)
        except SignInFailed as failed:
            self.throttle.failed(keys)
            self.records.add(
                SignInEvent.SIGN_IN_FAILED,
                method=method,
                address=client.address,
                detail=failed.reason,
            )
            raise
        return user

    def _matched(self, identity: Identity) -> User:
        provider = identity.provider
        email = identity.verified_email if provider.match_email else None
        user = self.users.find_by_identity(provider.issuer, identity.subject, email)
        if user is None:
            raise SignInFailed(
                f"Your {provider.title} account is not an actiontrail user. Ask governance to "
                "add you with your e-mail address.",
                f"no user for subject {identity.subject[:80]}"
                + (f" or e-mail {email}" if email else " (no verified e-mail)"),
            )
        if not user.active:
            raise SignInFailed(
                "Your actiontrail user has been revoked.", f"user {user.id} is revoked"
            )
        return user

    def issue_token(self, user_id: str, by: str, client: Client, method: str = TOKEN) -> NewUser:
        """A new token for a user (the old one stops working, their sessions end), recorded."""
        issued = self.users.issue_token(user_id)
        ended = self.sessions.end_all(user_id, by=by, reason="new token")
        self.records.add(
            SignInEvent.TOKEN_ISSUED,
            method=method,
            user_id=user_id,
            address=client.address,
            detail=f"issued by {by}; {ended} session(s) ended",
        )
        return issued

    def _not_throttled(self, keys: list[str]) -> None:
        wait = self.throttle.retry_after(keys)
        if wait is not None:
            raise Throttled(wait)


def local_operator() -> str:
    """Who runs a break-glass command: the operating system's user on this host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"
