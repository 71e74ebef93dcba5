"""Users as governance and inspectors may list them: never a token nor its hash, but when it
expires and when it was last used, and the identity single sign-on finds them by."""

from datetime import datetime

from pydantic import BaseModel

from domain.codes import Role
from infrastructure.presentation.attributes import from_attributes
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
        return from_attributes(cls, user, user=user.id)
