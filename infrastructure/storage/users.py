"""Users and their bearer tokens, in a ``users`` table beside the events.

A token is shown once, when the user is added or given a new one (``issue_token``); only its
SHA-256 hash is stored, with when it expires and when it was last used. Revoking a user stamps
``revoked_at``: their token stops working at once and the row stays for the audit trail. A user
may also have an e-mail address and an OpenID Connect issuer and subject, by which single
sign-on finds them (``find_by_identity``); nobody is ever added by signing in.
Events name their actor by id only; names are looked up here when read (``names``), so a renamed
user reads correctly everywhere.
"""

import hashlib
import secrets
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    MetaData,
    RowMapping,
    String,
    Table,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from application.errors import NotFound
from domain.clock import utc_now
from domain.codes import Role
from domain.reference import ReferenceData
from domain.text import quoted
from domain.values import Actor
from infrastructure.signin.identity import (
    InvalidUser,
    NameTaken,
    checked_email,
    checked_subject,
    name_key,
)
from infrastructure.storage.schema_upgrade import add_missing_columns

metadata = MetaData()
#: Marks a token for what it is (and keeps it from starting with "-" on a command line).
TOKEN_PREFIX = "at_"

users_table = Table(
    "users",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("agency", String(100), nullable=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(40), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("token_expires_at", DateTime(timezone=True), nullable=True),
    Column("token_last_used_at", DateTime(timezone=True), nullable=True),
    Column("email", String(254), nullable=True),
    Column("oidc_issuer", String(500), nullable=True),
    Column("oidc_subject", String(255), nullable=True),
    Index("users_email", "email", unique=True),
    Index("users_oidc_identity", "oidc_issuer", "oidc_subject", unique=True),
)
#: A token's last use is written at most this often (not on every request).
LAST_USE_PRECISION = timedelta(minutes=1)


class TokenProblem(Enum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"


#: What a client is told about a token that does not work.
TOKEN_PROBLEMS = {
    TokenProblem.UNKNOWN: "the token is unknown or has been revoked",
    TokenProblem.REVOKED: "the token is unknown or has been revoked",
    TokenProblem.EXPIRED: "the token has expired; ask governance for a new one "
    "(actiontrail users token)",
}


@dataclass(frozen=True)
class TokenCheck:
    """The user a token names, and why it does not work (None: it does)."""

    user: "User | None"
    problem: TokenProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class User:
    id: str
    name: str
    role: Role
    agency: str | None
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None
    token_expires_at: datetime | None = None
    token_last_used_at: datetime | None = None
    email: str | None = None
    oidc_issuer: str | None = None
    oidc_subject: str | None = None

    @property
    def actor(self) -> Actor:
        """The user as the events record them."""
        return Actor(user_id=self.id, role=self.role, agency=self.agency)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class NewUser:
    """A user just added, with the token that is shown this once."""

    user: User
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserDirectory:
    """Adds, finds, authenticates and revokes users."""

    def __init__(
        self,
        engine: Engine,
        reference: ReferenceData,
        token_lifetime: timedelta = timedelta(days=90),
    ) -> None:
        self._engine = engine
        self._reference = reference
        self.token_lifetime = token_lifetime
        metadata.create_all(engine)
        if "token_expires_at" in add_missing_columns(engine, users_table):
            # Tokens issued before tokens expired: a full lifetime from this upgrade on.
            with engine.begin() as connection:
                connection.execute(
                    update(users_table)
                    .where(users_table.c.token_expires_at.is_(None))
                    .values(token_expires_at=utc_now() + token_lifetime)
                )

    @property
    def engine(self) -> Engine:
        return self._engine

    def add(  # noqa: PLR0913 - a user's fields, each a keyword
        self,
        *,
        name: str,
        role: Role | str,
        agency: str | None,
        created_by: str | None,
        email: str | None = None,
        oidc_issuer: str | None = None,
        oidc_subject: str | None = None,
    ) -> NewUser:
        """Add a user; agency staff need an agency, and every agency must be a known code."""
        name = _name(name)
        email = checked_email(email)
        oidc_issuer, oidc_subject = checked_subject(oidc_issuer, oidc_subject)
        role = _role(role)
        agency = agency.strip() if agency else None
        if role is Role.AGENCY and agency is None:
            raise InvalidUser("an agency user needs an agency, e.g. --agency health")
        if agency is not None:
            self._reference.require_agency(agency)
        token = new_token()
        now = utc_now()
        user = User(
            id=f"u-{uuid.uuid4().hex[:12]}",
            name=name,
            role=role,
            agency=agency,
            created_at=now,
            created_by=created_by,
            revoked_at=None,
            token_expires_at=now + self.token_lifetime,
            email=email,
            oidc_issuer=oidc_issuer,
            oidc_subject=oidc_subject,
        )
        with _unique_identity(), self._engine.begin() as connection:
            _require_unique_name(connection, name)
            connection.execute(
                users_table.insert().values(
                    id=user.id,
                    name=user.name,
                    role=user.role.value,
                    agency=user.agency,
                    token_hash=hash_token(token),
                    created_at=user.created_at,
                    created_by=created_by,
                    token_expires_at=user.token_expires_at,
                    email=email,
                    oidc_issuer=oidc_issuer,
                    oidc_subject=oidc_subject,
                )
            )
        return NewUser(user, token)

    def check_token(self, token: str) -> TokenCheck:
        """Whose token this is and whether it works (not revoked, not expired); a working
        token's last use is written (at most once a minute)."""
        query = select(users_table).where(users_table.c.token_hash == hash_token(token))
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return TokenCheck(None, TokenProblem.UNKNOWN)
        user = user_from_row(row)
        now = utc_now()
        if not user.active:
            return TokenCheck(user, TokenProblem.REVOKED)
        if user.token_expires_at is not None and user.token_expires_at <= now:
            return TokenCheck(user, TokenProblem.EXPIRED)
        last = user.token_last_used_at
        if last is None or now - last >= LAST_USE_PRECISION:
            with self._engine.begin() as connection:
                connection.execute(
                    update(users_table)
                    .where(users_table.c.id == user.id)
                    .values(token_last_used_at=now)
                )
        return TokenCheck(user, None)

    def authenticate(self, token: str) -> User | None:
        """The active user holding this unexpired token, or None."""
        check = self.check_token(token)
        return check.user if check.ok else None

    def issue_token(self, user_id: str) -> NewUser:
        """A new token for an active user, shown this once; the old one stops working."""
        user = self.get(user_id)
        if not user.active:
            raise InvalidUser(f"user {user_id} has been revoked; add a new user instead")
        token = new_token()
        with self._engine.begin() as connection:
            connection.execute(
                update(users_table)
                .where(users_table.c.id == user_id)
                .values(
                    token_hash=hash_token(token),
                    token_expires_at=utc_now() + self.token_lifetime,
                    token_last_used_at=None,
                )
            )
        return NewUser(self.get(user_id), token)

    def set_identity(
        self,
        user_id: str,
        *,
        email: str | None,
        oidc_issuer: str | None,
        oidc_subject: str | None,
    ) -> User:
        """Give a user the e-mail and/or issuer and subject single sign-on finds them by
        (replacing what they had; none of them: no single sign-on)."""
        email = checked_email(email)
        oidc_issuer, oidc_subject = checked_subject(oidc_issuer, oidc_subject)
        self.get(user_id)
        with _unique_identity(), self._engine.begin() as connection:
            connection.execute(
                update(users_table)
                .where(users_table.c.id == user_id)
                .values(email=email, oidc_issuer=oidc_issuer, oidc_subject=oidc_subject)
            )
        return self.get(user_id)

    def find_by_identity(self, issuer: str, subject: str, email: str | None) -> User | None:
        """The user with this issuer's subject, else (``email`` given: a verified address)
        the user with this e-mail; revoked users included (the caller refuses them)."""
        clauses: list[ColumnElement[bool]] = [
            (users_table.c.oidc_issuer == issuer) & (users_table.c.oidc_subject == subject)
        ]
        if email:
            clauses.append(users_table.c.email == email.strip().lower())
        with self._engine.connect() as connection:
            rows = list(connection.execute(select(users_table).where(or_(*clauses))).mappings())
        by_subject = [
            r for r in rows if r["oidc_subject"] == subject and r["oidc_issuer"] == issuer
        ]
        chosen = by_subject or rows
        return user_from_row(chosen[0]) if chosen else None

    def get(self, user_id: str) -> User:
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(users_table).where(users_table.c.id == user_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound("user", user_id)
        return user_from_row(row)

    def list(self, *, include_revoked: bool = True) -> list[User]:
        query = select(users_table).order_by(users_table.c.created_at, users_table.c.id)
        if not include_revoked:
            query = query.where(users_table.c.revoked_at.is_(None))
        with self._engine.connect() as connection:
            return [user_from_row(row) for row in connection.execute(query).mappings()]

    def names(self, user_ids: Collection[str]) -> dict[str, str]:
        """The names of these users, by id, in one query; ids not found are left out."""
        if not user_ids:
            return {}
        query = select(users_table.c.id, users_table.c.name).where(
            users_table.c.id.in_(sorted(user_ids))
        )
        with self._engine.connect() as connection:
            return {row.id: row.name for row in connection.execute(query)}

    def rename(self, user_id: str, name: str) -> User:
        """Give a user a new name; what they did reads under it from now on."""
        name = _name(name)
        self.get(user_id)
        with self._engine.begin() as connection:
            _require_unique_name(connection, name, but=user_id)
            connection.execute(
                update(users_table).where(users_table.c.id == user_id).values(name=name)
            )
        return self.get(user_id)

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(users_table)).scalar_one()
            )

    def revoke(self, user_id: str) -> User:
        """Stop a user's token working; revoking twice keeps the first time."""
        self.get(user_id)
        with self._engine.begin() as connection:
            connection.execute(
                update(users_table)
                .where(users_table.c.id == user_id, users_table.c.revoked_at.is_(None))
                .values(revoked_at=utc_now())
            )
        return self.get(user_id)

    def close(self) -> None:
        self._engine.dispose()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@contextmanager
def _unique_identity() -> Iterator[None]:
    """Turns a clash on the unique e-mail or OIDC subject into ``InvalidUser``."""
    try:
        yield
    except IntegrityError:
        raise InvalidUser("another user already has this e-mail address or OIDC subject") from None


def _require_unique_name(connection: Connection, name: str, but: str | None = None) -> None:
    """Refuse a name another user has (``NameTaken``), compared by ``name_key``."""
    key = name_key(name)
    rows = connection.execute(
        select(users_table.c.id, users_table.c.name, users_table.c.revoked_at)
    ).all()
    for row in rows:
        if row.id != but and name_key(row.name) == key:
            revoked = ", revoked" if row.revoked_at is not None else ""
            raise NameTaken(
                f"another user ({row.id}{revoked}) is already named {quoted(row.name)}; the audit "
                "trail names people, so give this one a name of their own (e.g. with their "
                "team or agency)"
            )


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidUser("a user needs a name")
    return name


def _role(role: Role | str) -> Role:
    if isinstance(role, Role):
        return role
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidUser(f"unknown role {quoted(role)}; known roles: {known}") from None


def user_from_row(row: RowMapping, prefix: str = "") -> User:
    """A user from a row of ``users_table`` (its columns named ``prefix`` + name)."""
    return User(
        id=row[f"{prefix}id"],
        name=row[f"{prefix}name"],
        role=Role(row[f"{prefix}role"]),
        agency=row[f"{prefix}agency"],
        created_at=aware(row[f"{prefix}created_at"]),
        created_by=row[f"{prefix}created_by"],
        revoked_at=_maybe_aware(row[f"{prefix}revoked_at"]),
        token_expires_at=_maybe_aware(row[f"{prefix}token_expires_at"]),
        token_last_used_at=_maybe_aware(row[f"{prefix}token_last_used_at"]),
        email=row[f"{prefix}email"],
        oidc_issuer=row[f"{prefix}oidc_issuer"],
        oidc_subject=row[f"{prefix}oidc_subject"],
    )


def _maybe_aware(moment: datetime | None) -> datetime | None:
    return aware(moment) if moment is not None else None


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
