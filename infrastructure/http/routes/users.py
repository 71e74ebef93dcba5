"""Users and their tokens; governance only."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from application.inputs import Code, Title
from domain.codes import Role
from infrastructure.http.access import require_role
from infrastructure.http.auth import CurrentUser
from infrastructure.http.services import ServicesDep
from infrastructure.users import User


def governance_user(caller: CurrentUser) -> User:
    """The caller, if governance; checked before the body is read."""
    require_role(caller, Role.GOVERNANCE, to="manage users")
    return caller


Governance = Annotated[User, Depends(governance_user)]
router = APIRouter(prefix="/users", tags=["users"])


class AddUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Title
    role: Role
    agency: Code | None = Field(default=None, description="required for the agency role")


class UserView(BaseModel):
    user: str
    name: str
    role: Role
    agency: str | None
    created_by: str | None
    active: bool

    @classmethod
    def of(cls, user: User) -> "UserView":
        return cls(
            user=user.id,
            name=user.name,
            role=user.role,
            agency=user.agency,
            created_by=user.created_by,
            active=user.active,
        )


class NewUserView(BaseModel):
    user: str
    name: str
    role: Role
    agency: str | None
    token: str = Field(description="shown this once; only its hash is stored")


class UserList(BaseModel):
    users: list[UserView]


@router.post("", status_code=201, summary="Add a user; answers their token once")
def add_user(services: ServicesDep, caller: Governance, body: AddUser) -> NewUserView:
    added = services.users.add(
        name=body.name, role=body.role, agency=body.agency, created_by=caller.id
    )
    user = added.user
    return NewUserView(
        user=user.id, name=user.name, role=user.role, agency=user.agency, token=added.token
    )


@router.get("", summary="Every user, revoked ones included")
def list_users(services: ServicesDep, caller: Governance) -> UserList:
    return UserList(users=[UserView.of(u) for u in services.users.list()])


@router.post("/{user_id}/revoke", summary="Revoke a user's token")
def revoke_user(
    services: ServicesDep, caller: Governance, user_id: Annotated[Code, Path(max_length=40)]
) -> UserView:
    return UserView.of(services.users.revoke(user_id))
