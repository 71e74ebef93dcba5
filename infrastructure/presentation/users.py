"""Users as governance and inspectors may list them: never a token nor its hash."""

from datetime import datetime

from pydantic import BaseModel

from domain.codes import Role
from infrastructure.users import User


class UserView(BaseModel):
    user: str
    name: str
    role: Role
    agency: str | None
    active: bool
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, user: User) -> "UserView":
        return cls(
            user=user.id,
            name=user.name,
            role=user.role,
            agency=user.agency,
            active=user.active,
            created_at=user.created_at,
            created_by=user.created_by,
            revoked_at=user.revoked_at,
        )
