"""Settings, read from ``ACTIONTRAIL_*`` environment variables.

One database URL chooses the store: ``sqlite:///path.db`` (the default, a file in the working
directory) or ``postgresql://user@host:port/db`` (with ``ACTIONTRAIL_DATABASE_SCHEMA``).
"""

from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from domain.reference import DEFAULT_AGENCIES, DEFAULT_STATUTORY_PARTNERS, ReferenceData
from infrastructure.signin.settings import OidcProvider, checked_base_url

DEFAULT_DATABASE_URL = "sqlite:///actiontrail.db"


class ConfigurationError(ValueError):
    """A setting that cannot work, with a message that says which and why."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ACTIONTRAIL_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    database_schema: str = Field(default="public", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
    #: PostgreSQL: seconds a request waits for a pooled connection (a new pool's first one
    #: included) before it answers "database unavailable" (docs/operations.md, "Faults").
    database_wait_seconds: int = Field(default=2, ge=1, le=60)
    #: The partnership's name, at the head of the console's dashboard (the board pack), its
    #: printout and the inspection packs.
    partnership_name: str = Field(
        default="Safeguarding children partnership", min_length=1, max_length=200
    )
    #: Base64 AES key (16, 24 or 32 bytes) to encrypt event state at rest; off when unset.
    cipher_key: SecretStr | None = None
    extra_agencies: list[str] = []
    statutory_partners: list[str] = list(DEFAULT_STATUTORY_PARTNERS)
    meeting_within_working_days: int = Field(default=1, ge=0)
    #: An import of more commands than this is checked whole, then written in parts of at
    #: most this many, each in one transaction (docs/import-format.md).
    import_part_commands: int = Field(default=200_000, ge=1)
    record_shared_within_working_days: int = Field(default=3, ge=0)
    #: ``infrastructure.storage.fastpaths`` for reading, decoding and writing the read models; off
    #: (``0``/``false``): the plain library path everywhere, the same results more slowly.
    fast_paths: bool = True
    #: The log's integrity (``infrastructure.integrity``, docs/integrity.md): the Ed25519 key
    #: that signs checkpoints, as a PEM file or in the environment (PEM, or the 32-byte private
    #: key in base64); unset, checkpoints are written unsigned (with a warning).
    signing_key_file: Path | None = None
    signing_key: SecretStr | None = None
    #: Public keys (PEM, one or more) that verification trusts, besides the signing key's own.
    public_keys_file: Path | None = None
    #: A checkpoint every this many events, and at least this often while writes happen.
    checkpoint_every: int = Field(default=1000, ge=1)
    checkpoint_minutes: int = Field(default=60, ge=1)
    #: Every checkpoint is also appended here (JSON lines), for a witness outside the database.
    witness_file: Path | None = None
    #: Signing in and the server's address: see docs/security.md.
    base_url: Annotated[str, AfterValidator(checked_base_url)] | None = None
    allowed_hosts: list[str] = Field(default=["localhost", "127.0.0.1"], min_length=1)
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_lifetime_hours: int = Field(default=10, ge=1, le=24 * 31)
    token_lifetime_days: int = Field(default=90, ge=1, le=3660)
    throttle_failures: int = Field(default=10, ge=1, le=10_000)
    throttle_minutes: int = Field(default=15, ge=1, le=24 * 60)
    oidc_providers: list[OidcProvider] = []

    @model_validator(mode="after")
    def _single_sign_on_needs_a_base_url(self) -> Self:
        if self.oidc_providers and self.base_url is None:
            raise ValueError(
                "ACTIONTRAIL_OIDC_PROVIDERS needs ACTIONTRAIL_BASE_URL: the address providers "
                "send users back to"
            )
        names = [provider.name for provider in self.oidc_providers]
        if len(set(names)) != len(names):
            raise ValueError("two identity providers have the same name")
        return self

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as error:
            raise ValueError(f"not a database URL: {value!r}") from error
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(
                f"unsupported database {url.get_backend_name()!r}: use sqlite:/// or postgresql://"
            )
        if url.get_backend_name() == "sqlite" and not url.database:
            raise ValueError("a SQLite URL needs a file path, e.g. sqlite:///actiontrail.db")
        return value

    @property
    def url(self) -> URL:
        return make_url(self.database_url)

    @property
    def store(self) -> Literal["sqlite", "postgresql"]:
        return "sqlite" if self.url.get_backend_name() == "sqlite" else "postgresql"

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file, absolute (a relative path is taken from the working directory)."""
        assert self.url.database
        return Path(self.url.database).absolute()

    @property
    def trusted_hosts(self) -> list[str]:
        """The host names the server answers to: ``allowed_hosts`` and the base URL's."""
        hosts = list(self.allowed_hosts)
        if self.base_url is not None:
            host = urlsplit(self.base_url).hostname
            if host and host not in hosts:
                hosts.append(host)
        return hosts

    def reference(self) -> ReferenceData:
        agencies = DEFAULT_AGENCIES + tuple(
            a for a in self.extra_agencies if a not in DEFAULT_AGENCIES
        )
        return ReferenceData(agencies=agencies, statutory_partners=tuple(self.statutory_partners))
