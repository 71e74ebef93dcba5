"""Users and their bearer tokens, in a ``users`` table beside the events.

A token is shown once, when the user is added; only its SHA-256 hash is stored. Revoking a user
stamps ``revoked_at``: their token stops working at once and the row stays for the audit trail.
Events name their actor by id only; names are looked up here when read (``names``), so a renamed
user reads correctly everywhere.
"""

import hashlib
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    RowMapping,
    String,
    Table,
    func,
    select,
    update,
)

from application.errors import NotFound
from domain.clock import utc_now
from domain.codes import Role
from domain.errors import InvalidInput
from domain.reference import ReferenceData
from domain.values import Actor

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
)


class InvalidUser(InvalidInput):
    title = "Invalid user"


@dataclass(frozen=True)
class User:
    id: str
    name: str
    role: Role
    agency: str | None
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None

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

    def __init__(self, engine: Engine, reference: ReferenceData) -> None:
        self._engine = engine
        self._reference = reference
        metadata.create_all(engine)

    def add(
        self, *, name: str, role: Role | str, agency: str | None, created_by: str | None
    ) -> NewUser:
        """Add a user; agency staff need an agency, and every agency must be a known code."""
        name = _name(name)
        role = _role(role)
        agency = agency.strip() if agency else None
        if role is Role.AGENCY and agency is None:
            raise InvalidUser("an agency user needs an agency, e.g. --agency health")
        if agency is not None:
            self._reference.require_agency(agency)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        user = User(
            id=f"u-{uuid.uuid4().hex[:12]}",
            name=name,
            role=role,
            agency=agency,
            created_at=utc_now(),
            created_by=created_by,
            revoked_at=None,
        )
        with self._engine.begin() as connection:
            connection.execute(
                users_table.insert().values(
                    id=user.id,
                    name=user.name,
                    role=user.role.value,
                    agency=user.agency,
                    token_hash=hash_token(token),
                    created_at=user.created_at,
                    created_by=created_by,
                )
            )
        return NewUser(user, token)

    def authenticate(self, token: str) -> User | None:
        """The active user holding this token, or None."""
        query = select(users_table).where(
            users_table.c.token_hash == hash_token(token), users_table.c.revoked_at.is_(None)
        )
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return _user(row) if row else None

    def get(self, user_id: str) -> User:
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(users_table).where(users_table.c.id == user_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound("user", user_id)
        return _user(row)

    def list(self, *, include_revoked: bool = True) -> list[User]:
        query = select(users_table).order_by(users_table.c.created_at, users_table.c.id)
        if not include_revoked:
            query = query.where(users_table.c.revoked_at.is_(None))
        with self._engine.connect() as connection:
            return [_user(row) for row in connection.execute(query).mappings()]

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
        raise InvalidUser(f"unknown role {role!r}; known roles: {known}") from None


def _user(row: RowMapping) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        agency=row["agency"],
        created_at=_aware(row["created_at"]),
        created_by=row["created_by"],
        revoked_at=_aware(row["revoked_at"]) if row["revoked_at"] else None,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
