"""Routes for commands, built from one table row per path.

Each route authenticates the caller, builds the application command from the path, the body and
the ``Idempotency-Key`` header, and runs it; the application enforces the role table.
"""

from collections.abc import Callable
from dataclasses import dataclass
from inspect import Parameter, Signature
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Header, Path

from application.bodies import body_model
from application.commands import Command, CreationCommand
from application.inputs import Code, Number
from application.permissions import authorize_command
from application.views import CommandResult
from infrastructure.http.auth import CurrentUser
from infrastructure.http.problems import Problem
from infrastructure.storage.users import User
from infrastructure.web.services import ServicesDep

IdempotencyKey = Annotated[
    Code | None,
    Header(
        alias="Idempotency-Key",
        description="Send the same key again to get the first answer; nothing is written twice.",
    ),
]
TARGET_FIELDS = {"id": None, "n": "number"}
#: Commands can also break a rule; the statuses every operation can answer are added to the
#: OpenAPI document by ``infrastructure.http.openapi``.
ERRORS: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "A domain rule or a version conflict"},
}


@dataclass(frozen=True)
class CommandRoute:
    path: str
    command: type[Command]
    summary: str
    #: Picks the command by the caller's role when one path serves two commands.
    choose: Callable[[User], type[Command]] | None = None


def add_command_routes(router: APIRouter, routes: list[CommandRoute]) -> None:
    for route in routes:
        created = issubclass(route.command, CreationCommand) or route.path.endswith("/actions")
        router.add_api_route(
            route.path,
            _endpoint(route),
            methods=["POST"],
            summary=route.summary,
            description=route.command.__doc__ or route.summary,
            status_code=201 if created else 200,
            response_model=CommandResult,
            response_model_exclude_none=True,  # a note only when there is one
            responses=ERRORS,
            name=route.command.__name__,
        )


def _command_type(route: CommandRoute, user: User) -> type[Command]:
    return route.choose(user) if route.choose else route.command


def _authorized(route: CommandRoute) -> Callable[[User], User]:
    """The caller, refused before the body is read if their role may never run the command.

    The rule is the application's own (``authorize_command`` looks only at the command's type).
    """

    def check(user: CurrentUser) -> User:
        authorize_command(user.actor, _command_type(route, user).model_construct())
        return user

    return check


def _endpoint(route: CommandRoute) -> Callable[..., CommandResult]:
    path_names = [name for name in TARGET_FIELDS if "{" + name + "}" in route.path]
    omit = {field for name in path_names if (field := TARGET_FIELDS[name])}
    if issubclass(route.command, CreationCommand):
        omit.add("expected_version")
    body_type = body_model(route.command, omit=frozenset(omit))

    def endpoint(**kwargs: Any) -> CommandResult:
        services = kwargs["services"]
        user: User = kwargs["user"]
        command_type = _command_type(route, user)
        body = kwargs["body"]
        # Only the fields sent: a path shared by two commands (due-date) has the larger body.
        fields: dict[str, Any] = {name: getattr(body, name) for name in body.model_fields_set}
        for name in path_names:
            field = TARGET_FIELDS[name] or command_type.target_field
            assert field is not None
            fields[field] = kwargs[name]
        fields["command_id"] = kwargs["idempotency_key"]
        command = command_type.model_validate(fields)
        result: CommandResult = services.trail.execute(command, user.actor)
        return result

    parameters = [
        Parameter("services", Parameter.KEYWORD_ONLY, annotation=ServicesDep),
        Parameter(
            "user",
            Parameter.KEYWORD_ONLY,
            annotation=Annotated[User, Depends(_authorized(route))],
        ),
        *(
            Parameter(name, Parameter.KEYWORD_ONLY, annotation=_path_type(name))
            for name in path_names
        ),
        Parameter("body", Parameter.KEYWORD_ONLY, annotation=Annotated[body_type, Body()]),
        Parameter(
            "idempotency_key", Parameter.KEYWORD_ONLY, annotation=IdempotencyKey, default=None
        ),
    ]
    endpoint.__signature__ = Signature(parameters, return_annotation=CommandResult)  # type: ignore[attr-defined]
    endpoint.__name__ = route.command.__name__
    return endpoint


def _path_type(name: str) -> Any:
    if name == "n":
        return Annotated[Number, Path(description="The response's number, from 1")]
    return Annotated[UUID, Path(description="The aggregate's id")]
