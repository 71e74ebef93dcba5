"""Tokens, sign-in identities, console sessions and the sign-in record, over HTTP.

Governance issues tokens, sets identities and reads the record; a user's sessions are listed
and ended by that user or by governance.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from application.inputs import Code, PageSize, Position
from application.permissions import authorize_sessions
from infrastructure.http.auth import CurrentUser
from infrastructure.http.parameters import Timestamp
from infrastructure.http.routes.users import Governance, UserId
from infrastructure.presentation.attributes import from_attributes
from infrastructure.presentation.users import UserView
from infrastructure.signin.records import SignInEvent, SignInRecord
from infrastructure.signin.sessions import Session
from infrastructure.storage.users import User
from infrastructure.web.clients import client_of
from infrastructure.web.services import ServicesDep

router = APIRouter(tags=["users"])
SessionId = Annotated[Code, Path(max_length=40)]


class NewToken(BaseModel):
    user: str
    token: str = Field(description="shown this once; the user's previous token stops working")
    token_expires_at: datetime | None


class Identity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, max_length=254, description="matched when verified")
    oidc_issuer: str | None = Field(default=None, max_length=500)
    oidc_subject: str | None = Field(default=None, max_length=255)


class SessionView(BaseModel):
    session: str
    user: str
    method: str = Field(description="token, or oidc:<provider>")
    address: str | None
    started_at: datetime
    last_seen_at: datetime = Field(description="within a minute")
    expires_at: datetime = Field(description="the end of its lifetime, however active")
    ended_at: datetime | None
    ended_by: str | None
    end_reason: str | None

    @classmethod
    def of(cls, session: Session) -> "SessionView":
        return from_attributes(cls, session, session=session.id, user=session.user_id)


class RecordView(BaseModel):
    id: int
    at: datetime
    event: SignInEvent
    user: str | None
    method: str
    address: str | None
    detail: str | None

    @classmethod
    def of(cls, record: SignInRecord) -> "RecordView":
        return from_attributes(cls, record, user=record.user_id)


class RecordPage(BaseModel):
    records: list[RecordView]
    next_after: int | None = Field(description="the cursor for the next page; absent at the end")


def _self_or_governance(caller: User, user_id: str, services: ServicesDep) -> None:
    authorize_sessions(caller.actor, user_id)
    services.users.get(user_id)  # 404 for an unknown user


@router.post("/users/{user_id}/token", summary="Issue a user a new token; the old one stops")
def issue_token(
    request: Request, services: ServicesDep, caller: Governance, user_id: UserId
) -> NewToken:
    issued = services.signin.issue_token(user_id, by=caller.id, client=client_of(request))
    return NewToken(
        user=issued.user.id, token=issued.token, token_expires_at=issued.user.token_expires_at
    )


@router.post("/users/{user_id}/identity", summary="Set the identity single sign-on matches")
def set_identity(
    services: ServicesDep, caller: Governance, user_id: UserId, body: Identity
) -> UserView:
    user = services.users.set_identity(
        user_id, email=body.email, oidc_issuer=body.oidc_issuer, oidc_subject=body.oidc_subject
    )
    return UserView.of(user)


@router.get("/users/{user_id}/sessions", summary="A user's live console sessions, newest first")
def list_sessions(services: ServicesDep, caller: CurrentUser, user_id: UserId) -> list[SessionView]:
    _self_or_governance(caller, user_id, services)
    return [SessionView.of(s) for s in services.signin.sessions.of_user(user_id)]


@router.post("/users/{user_id}/sessions/{session_id}/end", summary="End a console session at once")
def end_session(
    request: Request,
    services: ServicesDep,
    caller: CurrentUser,
    user_id: UserId,
    session_id: SessionId,
) -> SessionView:
    _self_or_governance(caller, user_id, services)
    services.signin.end_session(user_id, session_id, by=caller, client=client_of(request))
    return SessionView.of(services.signin.sessions.get(session_id))


@router.get("/sign-ins", summary="Sign-ins, failures, sign-outs and tokens issued (governance)")
def sign_ins(  # noqa: PLR0913 - FastAPI takes each input as a parameter
    services: ServicesDep,
    caller: Governance,
    user: Annotated[Code | None, Query(description="a user id")] = None,
    event: SignInEvent | None = None,
    since: Annotated[Timestamp | None, Query(alias="from", description="at or after")] = None,
    until: Annotated[Timestamp | None, Query(alias="to", description="before")] = None,
    after: Annotated[Position, Query(description="records after this id")] = 0,
    limit: Annotated[PageSize, Query(description="at most this many")] = 100,
) -> RecordPage:
    records = services.signin.records.read(
        user_id=user, event=event, since=since, until=until, after=after, limit=limit
    )
    full = len(records) == limit
    return RecordPage(
        records=[RecordView.of(r) for r in records], next_after=records[-1].id if full else None
    )
