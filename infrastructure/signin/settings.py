"""The settings of signing in: one identity provider, and the checks on URLs and host names."""

import ipaddress
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr

#: Hosts that may be reached over plain HTTP: this machine (tests, a provider on loopback).
LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def checked_base_url(value: str) -> str:
    """An origin (``https://host[:port]``, no path): HTTPS, or HTTP on the loopback only."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"give the origin only, without a path: {value!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(f"use https (plain http only on the loopback): {value!r}")
    return f"{parts.scheme}://{parts.netloc}"


def checked_issuer(value: str) -> str:
    """An OpenID Connect issuer: an https URL (http on the loopback only), kept as given."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(f"an issuer must use https: {value!r}")
    return value.rstrip("/")


class OidcProvider(BaseModel):
    """One identity provider (an agency's tenant), as ``ACTIONTRAIL_OIDC_PROVIDERS`` lists it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: In the console's paths (``/console/sign-in/oidc/<name>``) and in the sign-in record.
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    #: On the sign-in button: "Sign in with <title>".
    title: str = Field(min_length=1, max_length=80)
    issuer: Annotated[str, AfterValidator(checked_issuer)]
    client_id: str = Field(min_length=1, max_length=200)
    client_secret: SecretStr
    #: Match users by the provider's verified e-mail as well as by subject.
    match_email: bool = True
