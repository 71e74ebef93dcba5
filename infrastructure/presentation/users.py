"""Users as governance and inspectors may list them: never a token nor its hash, but when it
expires and when it was last used, and the identity single sign-on finds them by."""

from datetime import datetime

from pydantic import BaseModel

from domain.codes import Role
from infrastructure.storage.users import User


class UserView(BaseModel):
    user: str
    name: str
    role: Role
    agency: str | None
    active: bool
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None
    token_expires_at: datetime | None
    #: Within a minute: the last use is written at most once a minute.
    token_last_used_at: datetime | None
    email: str | None
    oidc_issuer: str | None
    oidc_subject: str | None

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
            token_expires_at=user.token_expires_at,
            token_last_used_at=user.token_last_used_at,
            email=user.email,
            oidc_issuer=user.oidc_issuer,
            oidc_subject=user.oidc_subject,
        )
