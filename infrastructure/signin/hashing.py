"""Random secrets and their stored hashes."""

import hashlib
import hmac
import secrets


def new_secret() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored in place of a secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same(given: str | None, expected: str) -> bool:
    """Compared in constant time; nothing given never matches."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())
