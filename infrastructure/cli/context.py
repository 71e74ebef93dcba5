"""Settings, storage and the signed-in user, as the commands need them."""

import argparse
import os

from pydantic import ValidationError

from application.permissions import Task, authorize_query, authorize_task
from application.queries import Query
from infrastructure.bootstrap import Services, build_services
from infrastructure.cli.output import CliError, ExitCode
from infrastructure.config import Settings
from infrastructure.storage.existing import require_existing
from infrastructure.storage.faults import describe_database
from infrastructure.storage.users import TOKEN_PROBLEMS, TokenProblem, User, UserDirectory

TOKEN_VARIABLE = "ACTIONTRAIL_TOKEN"


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"ACTIONTRAIL_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            if e["loc"]
            else e["msg"]  # a rule between settings, which names them itself
            for e in error.errors()
        )
        raise CliError(f"bad setting: {problems}", ExitCode.USAGE) from None


def unavailable_message(reason: str) -> str:
    """The ``error:`` line for a database that cannot be reached, naming it (no password)."""
    try:
        database = describe_database(Settings())
    except ValidationError:
        return f"database unavailable: {reason}"
    return f"database unavailable: {database}: {reason}"


def open_services(settings: Settings, may_create: bool = False, follow: bool = False) -> Services:
    """The services of the database (``with`` closes them); without ``may_create``, refused
    (``NoDatabase``) unless it holds actiontrail's records, so nothing is created; ``follow``:
    the projections running (see ``build_services``)."""
    if not may_create:
        require_existing(settings)
    return build_services(settings, follow=follow)


def add_token_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--token",
        help=f"your token (default: the {TOKEN_VARIABLE} environment variable)",
    )


def signed_in(users: UserDirectory, args: argparse.Namespace, task: Task | None = None) -> User:
    """The user whose token was given, refused unless their role may do ``task`` (if given)."""
    token = getattr(args, "token", None) or os.environ.get(TOKEN_VARIABLE)
    if not token:
        raise CliError(
            f"this command needs a token: pass --token or set {TOKEN_VARIABLE}",
            ExitCode.UNAUTHORIZED,
        )
    check = users.check_token(token)
    if check.problem is not None or check.user is None:
        message = TOKEN_PROBLEMS[check.problem or TokenProblem.UNKNOWN]
        raise CliError(message, ExitCode.UNAUTHORIZED)
    user = check.user
    if task is not None:
        authorize_task(user.actor, task)
    return user


def asking(users: UserDirectory, args: argparse.Namespace, kind: type[Query]) -> User:
    """The user whose token was given, refused unless their role may ask ``kind`` at all."""
    user = signed_in(users, args)
    authorize_query(user.actor, kind)
    return user
