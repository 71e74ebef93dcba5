"""Users and their tokens: governance manages them; governance and inspectors list them."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from application.inputs import Code, Title
from application.permissions import Task, authorize_task
from application.queries import UsersQuery
from domain.codes import Role
from infrastructure.http.auth import CurrentUser, asking
from infrastructure.presentation.attributes import from_attributes
from infrastructure.presentation.users import UserView
from infrastructure.storage.users import User
from infrastructure.web.services import ServicesDep


def governance_user(caller: CurrentUser) -> User:
    """The caller, if they may manage users; checked before the body is read."""
    authorize_task(caller.actor, Task.MANAGE_USERS)
    return caller


Governance = Annotated[User, Depends(governance_user)]
UsersReader = Annotated[User, Depends(asking(UsersQuery))]
UserId = Annotated[Code, Path(max_length=40)]
router = APIRouter(prefix="/users", tags=["users"])


class AddUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Title
    role: Role
    agency: Code | None = Field(default=None, description="required for the agency role")
    email: str | None = Field(default=None, max_length=254, description="for single sign-on")
    oidc_issuer: str | None = Field(default=None, max_length=500, description="with oidc_subject")
    oidc_subject: str | None = Field(default=None, max_length=255, description="for single sign-on")


class Rename(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Title


class NewUserView(BaseModel):
    user: str
    name: str
    role: Role
    agency: str | None
    token: str = Field(description="shown this once; only its hash is stored")


@router.post("", status_code=201, summary="Add a user; answers their token once")
def add_user(services: ServicesDep, caller: Governance, body: AddUser) -> NewUserView:
    added = services.users.add(**body.model_dump(), created_by=caller.id)
    return from_attributes(NewUserView, added.user, user=added.user.id, token=added.token)


@router.get(
    "", summary="Every user, revoked ones included, never a token (governance and inspectors)"
)
def list_users(services: ServicesDep, caller: UsersReader) -> list[UserView]:
    users: list[UserView] = services.queries.ask(caller.actor, UsersQuery())
    return users


@router.post("/{user_id}/revoke", summary="Revoke a user's token")
def revoke_user(services: ServicesDep, caller: Governance, user_id: UserId) -> UserView:
    revoked = services.users.revoke(user_id)
    services.signin.sessions.end_all(user_id, by=caller.id, reason="user revoked")
    return UserView.of(revoked)


@router.post("/{user_id}/rename", summary="Rename a user; what they did reads under the new name")
def rename_user(
    services: ServicesDep, caller: Governance, user_id: UserId, body: Rename
) -> UserView:
    return UserView.of(services.users.rename(user_id, body.name))
