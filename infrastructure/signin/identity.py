"""A user's single sign-on identity: an e-mail address and/or an issuer's subject, checked
before they are stored (``InvalidUser``, 422 over HTTP and exit 2 in the CLI)."""

import re

from domain.errors import InvalidInput, RuleViolation
from domain.text import quoted
from infrastructure.signin.settings import checked_issuer

#: Deliberately plain: one "@", no spaces, a dot in the domain. Providers send what their
#: directory holds; this only catches typing mistakes before they make a user unreachable.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
#: OpenID Connect: a subject is at most 255 ASCII characters (Core 1.0, section 2).
_SUBJECT = re.compile(r"^[\x21-\x7e]{1,255}$")


class InvalidUser(InvalidInput):
    title = "Invalid user"


class NameTaken(RuleViolation):
    """Another user (revoked ones included) has this name: the audit trail names people, so two
    of one name could not be told apart (409 over HTTP, exit 6 in the CLI)."""

    title = "User name taken"


def name_key(name: str) -> str:
    """What makes two names the same: case, and spaces around and between words, aside."""
    return " ".join(name.split()).casefold()


def checked_email(email: str | None) -> str | None:
    """The address in lower case (providers differ in case), or None when not given."""
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidUser(f"not an e-mail address: {quoted(email)}")
    return email


def checked_subject(issuer: str | None, subject: str | None) -> tuple[str | None, str | None]:
    """An issuer and subject, both or neither: a subject means nothing without its issuer."""
    issuer = issuer.strip() if issuer else None
    subject = subject.strip() if subject else None
    if (issuer is None) != (subject is None):
        raise InvalidUser("give the OIDC subject together with its issuer (both or neither)")
    if issuer is None or subject is None:
        return None, None
    if not _SUBJECT.match(subject):
        raise InvalidUser("an OIDC subject is 1 to 255 printable ASCII characters, no spaces")
    try:
        return checked_issuer(issuer), subject
    except ValueError as error:
        raise InvalidUser(str(error)) from None
