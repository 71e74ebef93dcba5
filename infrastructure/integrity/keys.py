"""Ed25519 keys: the signing key (kept outside the database), its public half, key ids, and the
public keys a verifier trusts.

A key's id is the first 16 bytes, in hex, of SHA-256 over its 32 raw public bytes: checkpoints
name the key that signed them by it.
"""

import base64
import binascii
import os
import re
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from infrastructure.config import ConfigurationError, Settings
from infrastructure.integrity.links import Checkpoint

_PUBLIC_PEM = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    return sha256(raw_public(public)).hexdigest()[:32]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def public_keys_in(text: str) -> list[Ed25519PublicKey]:
    """Every Ed25519 public key of a PEM text (``ValueError`` for a block that is not one)."""
    found = []
    for block in _PUBLIC_PEM.findall(text):
        key = serialization.load_pem_public_key(block.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("a public key that is not Ed25519")
        found.append(key)
    return found


def signature_holds(public: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
    """Whether ``checkpoint``'s signature is ``public``'s over its message."""
    if checkpoint.signature is None:
        return False
    try:
        public.verify(base64.b64decode(checkpoint.signature, validate=True), checkpoint.message())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Signer:
    """The private key that signs checkpoints."""

    private: Ed25519PrivateKey
    public: Ed25519PublicKey = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "public", self.private.public_key())

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    @property
    def public_pem(self) -> str:
        return public_pem(self.public)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode()

    def private_pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _private_key(data: bytes, source: str) -> Ed25519PrivateKey:
    """A private key from PEM, or from the 32 raw bytes in base64."""
    text = data.strip()
    try:
        if text.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(text, password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise ConfigurationError(
            f"{source}: not an Ed25519 private key (PEM, or 32 bytes in base64): {error}"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{source}: the private key is not an Ed25519 key")
    return key


def load_signer(settings: Settings) -> Signer | None:
    """The configured signing key, None when there is none (``ConfigurationError`` when one is
    configured but cannot be read)."""
    if settings.signing_key_file is not None:
        path = settings.signing_key_file
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ConfigurationError(
                f"ACTIONTRAIL_SIGNING_KEY_FILE: cannot read {path}: {error.strerror}"
            ) from None
        return Signer(_private_key(data, f"ACTIONTRAIL_SIGNING_KEY_FILE {path}"))
    if settings.signing_key is not None:
        value = settings.signing_key.get_secret_value().encode()
        return Signer(_private_key(value, "ACTIONTRAIL_SIGNING_KEY"))
    return None


def read_public_keys(path: Path, source: str) -> list[Ed25519PublicKey]:
    """The public keys of a PEM file (``ConfigurationError`` when it cannot be read or holds
    none)."""
    try:
        keys = public_keys_in(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigurationError(f"{source}: cannot read {path}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ConfigurationError(f"{source}: {path}: {error}") from None
    if not keys:
        raise ConfigurationError(f"{source}: {path} holds no PEM public key")
    return keys


@dataclass(frozen=True)
class TrustedKeys:
    """The public keys a verifier trusts, by key id (empty: none given)."""

    keys: dict[str, Ed25519PublicKey]

    @classmethod
    def of(cls, *keys: Ed25519PublicKey) -> "TrustedKeys":
        return cls({key_id(k): k for k in keys})

    def __bool__(self) -> bool:
        return bool(self.keys)


def trusted_keys(settings: Settings, signer: Signer | None, extra: Path | None) -> TrustedKeys:
    """The signing key's public half, ``ACTIONTRAIL_PUBLIC_KEYS_FILE``'s keys and ``extra``'s."""
    keys: list[Ed25519PublicKey] = [signer.public] if signer is not None else []
    if settings.public_keys_file is not None:
        keys += read_public_keys(settings.public_keys_file, "ACTIONTRAIL_PUBLIC_KEYS_FILE")
    if extra is not None:
        keys += read_public_keys(extra, "--public-key")
    return TrustedKeys.of(*keys)


def write_key_pair(path: Path) -> Signer:
    """A new key pair: the private key (PEM, readable by its owner only) at ``path``, the public
    key at ``path`` + ``.pub``; neither file may exist yet (``ConfigurationError``)."""
    signer = Signer(Ed25519PrivateKey.generate())
    public = path.with_name(path.name + ".pub")
    for target in (path, public):
        if target.exists():
            raise ConfigurationError(
                f"{target} exists: choose another path (keys are never overwritten)"
            )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(signer.private_pem())
        public.write_text(signer.public_pem, encoding="utf-8")
    except OSError as error:
        raise ConfigurationError(f"cannot write {error.filename}: {error.strerror}") from None
    return signer
