"""Single sign-on with OpenID Connect: the authorization code flow with PKCE (RFC 7636).

Authlib's OAuth 2.0 client builds the authorization URL (``state``, ``nonce``, the S256 code
challenge) and exchanges the code; joserfc (Authlib's JOSE library) checks the ID token's
signature against the provider's published keys and its claims: ``iss``, ``aud`` (our client
id; ``azp`` too when there are several), ``exp``, ``iat`` and the ``nonce`` of this attempt.

Each attempt is a row of ``oidc_attempts``: the hash of its ``state``, of a secret kept in the
browser's cookie (so a callback only completes in the browser that started it), its nonce and
code verifier. A ``state`` is used once (a replay is refused) and within ``ATTEMPT_MINUTES``.
Everything is in the database, so the callback may reach another ``serve`` worker.
"""

import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import Engine, delete, select, update

from application.errors import NotFound
from domain.clock import utc_now
from infrastructure.signin.hashing import digest, new_secret, same
from infrastructure.signin.settings import OidcProvider
from infrastructure.signin.tables import attempts_table

ATTEMPT_MINUTES = 10
#: Seconds of clock difference tolerated between the provider and us.
LEEWAY_SECONDS = 60
#: How long a provider's discovery document and keys are kept before being fetched again.
METADATA_SECONDS = 3600
HTTP_SECONDS = 10
#: Asymmetric algorithms only: a provider's ID token is never checked with a shared secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
SCOPE = "openid email"


class SignInFailed(Exception):
    """Single sign-on did not identify anyone: ``reason`` is for the sign-in record, the
    message for the person."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in."""

    provider: OidcProvider
    subject: str
    #: Only when the provider says the address is verified.
    verified_email: str | None


@dataclass(frozen=True)
class Started:
    authorization_url: str
    #: For the browser's cookie: the callback must come with it.
    browser_secret: str


@dataclass
class _Metadata:
    document: dict[str, Any]
    keys: KeySet
    fetched: float


class OidcSignIn:
    def __init__(self, engine: Engine, providers: list[OidcProvider], base_url: str | None) -> None:
        self._engine = engine
        self.providers = {provider.name: provider for provider in providers}
        self._base_url = base_url
        self._metadata: dict[str, _Metadata] = {}
        self._lock = threading.Lock()

    def provider(self, name: str) -> OidcProvider:
        try:
            return self.providers[name]
        except KeyError:
            raise NotFound("identity provider", name) from None

    def callback_url(self, provider: OidcProvider) -> str:
        assert self._base_url is not None  # settings refuse providers without one
        return f"{self._base_url}/console/sign-in/oidc/{provider.name}/callback"

    def start(self, name: str) -> Started:
        """A new attempt: the URL to send the browser to, and the secret for its cookie."""
        provider = self.provider(name)
        metadata = self._discovered(provider)
        state, nonce, browser = new_secret(), new_secret(), new_secret()
        verifier = generate_token(64)
        now = utc_now()
        with self._engine.begin() as connection:
            connection.execute(
                delete(attempts_table).where(attempts_table.c.started_at < now - timedelta(days=1))
            )
            connection.execute(
                attempts_table.insert().values(
                    state_hash=digest(state),
                    provider=provider.name,
                    browser_hash=digest(browser),
                    nonce=nonce,
                    code_verifier=verifier,
                    started_at=now,
                )
            )
        url, _ = self._client(provider).create_authorization_url(
            metadata.document["authorization_endpoint"],
            state=state,
            nonce=nonce,
            code_verifier=verifier,
        )
        return Started(url, browser)

    def finish(self, name: str, params: dict[str, str], browser_secret: str | None) -> Identity:
        """Check the provider's answer and the ID token; answers who signed in."""
        provider = self.provider(name)
        if "error" in params:
            raise SignInFailed(
                f"{provider.title} did not sign you in ({params['error'][:60]}).",
                f"provider error {params['error'][:60]}",
            )
        attempt = self._consume(provider, params.get("state", ""))
        if not same(digest(browser_secret or ""), attempt["browser_hash"]):
            raise SignInFailed(
                "This sign-in was started in another browser; start again here.",
                "callback without the browser that started it",
            )
        issuer = params.get("iss")
        if issuer is not None and issuer.rstrip("/") != provider.issuer:
            raise SignInFailed("The answer came from another provider.", "wrong iss parameter")
        code = params.get("code")
        if not code:
            raise SignInFailed("The provider sent no code; start again.", "no code")
        metadata = self._discovered(provider)
        try:
            token = self._client(provider).fetch_token(
                metadata.document["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=attempt["code_verifier"],
                timeout=HTTP_SECONDS,
            )
        except Exception as error:  # the provider refused the code, or did not answer
            raise SignInFailed(
                f"{provider.title} did not confirm the sign-in; start again.",
                f"code exchange failed: {type(error).__name__}",
            ) from None
        claims = self._checked_id_token(provider, str(token.get("id_token", "")), attempt["nonce"])
        if "email" not in claims and provider.match_email:
            info = self._user_info(provider, metadata, token)
            if info.get("sub") == claims["sub"]:
                claims = {**info, **claims}
        email = claims.get("email") if claims.get("email_verified") is True else None
        return Identity(provider, str(claims["sub"]), str(email) if email else None)

    def _user_info(self, provider: OidcProvider, metadata: "_Metadata", token: Any) -> Any:
        """The e-mail claims from the UserInfo endpoint, for providers that keep them out of
        the ID token; only if they are about the same subject (Core 1.0, 5.3.2)."""
        endpoint = metadata.document.get("userinfo_endpoint")
        if not endpoint:
            return {}
        try:
            response = requests.get(
                str(endpoint),
                headers={"Authorization": f"Bearer {token['access_token']}"},
                timeout=HTTP_SECONDS,
            )
            response.raise_for_status()
            info = response.json()
        except (requests.RequestException, KeyError, ValueError):
            return {}
        if not isinstance(info, dict):
            return {}
        return {key: info[key] for key in ("sub", "email", "email_verified") if key in info}

    def _consume(self, provider: OidcProvider, state: str) -> Any:
        """The attempt of this ``state``, marked used; refused if unknown, used or too old."""
        now = utc_now()
        key = digest(state)
        with self._engine.begin() as connection:
            used = connection.execute(
                update(attempts_table)
                .where(
                    attempts_table.c.state_hash == key,
                    attempts_table.c.provider == provider.name,
                    attempts_table.c.used_at.is_(None),
                    attempts_table.c.started_at > now - timedelta(minutes=ATTEMPT_MINUTES),
                )
                .values(used_at=now)
            )
            row = (
                connection.execute(select(attempts_table).where(attempts_table.c.state_hash == key))
                .mappings()
                .first()
            )
        if used.rowcount == 1 and row is not None:
            return row
        reason = "state already used (replayed)" if row and row["used_at"] else "unknown state"
        if row and not row["used_at"]:
            reason = "state too old"
        raise SignInFailed(
            "This sign-in link has expired or was already used; start again.", reason
        )

    def _checked_id_token(self, provider: OidcProvider, id_token: str, nonce: str) -> Any:
        metadata = self._discovered(provider)
        try:
            try:
                token = jwt.decode(id_token, metadata.keys, algorithms=ALGORITHMS)
            except JoseError:  # perhaps a key the provider rotated in since we fetched them
                metadata = self._discovered(provider, refresh=True)
                token = jwt.decode(id_token, metadata.keys, algorithms=ALGORITHMS)
            jwt.JWTClaimsRegistry(
                now=int(utc_now().timestamp()),
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": provider.issuer},
                aud={"essential": True, "value": provider.client_id},
                exp={"essential": True},
                iat={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError) as error:
            raise SignInFailed(
                f"{provider.title}'s answer could not be trusted; start again.",
                f"ID token refused: {_reason(error)}",
            ) from None
        audiences = token.claims["aud"]
        several = isinstance(audiences, list) and len(audiences) > 1
        if several and token.claims.get("azp") != provider.client_id:
            raise SignInFailed(
                f"{provider.title}'s answer could not be trusted; start again.",
                "ID token refused: azp is not our client",
            )
        return token.claims

    def _client(self, provider: OidcProvider) -> OAuth2Session:
        return OAuth2Session(
            client_id=provider.client_id,
            client_secret=provider.client_secret.get_secret_value(),
            scope=SCOPE,
            redirect_uri=self.callback_url(provider),
            code_challenge_method="S256",
            default_timeout=HTTP_SECONDS,
        )

    def _discovered(self, provider: OidcProvider, refresh: bool = False) -> _Metadata:
        """The provider's discovery document and keys, fetched at most once an hour (or when
        a token names a key we do not have)."""
        with self._lock:
            known = self._metadata.get(provider.name)
            if known and not refresh and time.monotonic() - known.fetched < METADATA_SECONDS:
                return known
        try:
            document = _get_json(f"{provider.issuer}/.well-known/openid-configuration")
            if str(document.get("issuer", "")).rstrip("/") != provider.issuer:
                raise SignInFailed(
                    f"{provider.title} is not configured correctly; tell governance.",
                    "discovery document names another issuer",
                )
            keys = KeySet.import_key_set(_get_json(str(document["jwks_uri"])))
        except (requests.RequestException, KeyError, ValueError, JoseError) as error:
            raise SignInFailed(
                f"{provider.title} could not be reached; try again shortly.",
                f"provider metadata unavailable: {type(error).__name__}",
            ) from None
        fetched = _Metadata(document, keys, time.monotonic())
        with self._lock:
            self._metadata[provider.name] = fetched
        return fetched


def _get_json(url: str) -> Any:
    response = requests.get(url, timeout=HTTP_SECONDS)
    response.raise_for_status()
    return response.json()


def _reason(error: Exception) -> str:
    if isinstance(error, JoseError):
        return f"{error.error}: {error.description}"[:200]
    return str(error)[:200]
