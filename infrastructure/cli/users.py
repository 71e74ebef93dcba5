"""``actiontrail users add|list|rename|revoke``: people and systems that may use actiontrail."""

import argparse
from datetime import datetime

from application.permissions import Task, first_user_refusal
from application.queries import UsersQuery
from domain.codes import Role
from domain.errors import InvalidInput
from domain.reference import agency_name
from infrastructure.cli.arguments import CODE, TITLE
from infrastructure.cli.context import load_settings, open_services, signed_in
from infrastructure.cli.output import CliError, ExitCode, print_json, print_table, say, warn
from infrastructure.cli.reading import answer
from infrastructure.cli.signin import IDENTITY, USER, register_signin_commands
from infrastructure.cli.subcommands import Argument, add_subcommand
from infrastructure.presentation.users import UserView
from infrastructure.storage.existing import missing
from infrastructure.storage.faults import describe_database


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser("users")
    actions = parser.add_subparsers(dest="users_command", required=True)
    add_subcommand(
        actions,
        "add",
        add_user,
        Argument("--name", type=TITLE, required=True),
        Argument("--role", required=True, choices=[r.value for r in Role]),
        Argument(
            "--agency", type=CODE, help="the user's agency code (required for the agency role)"
        ),
        *IDENTITY,
        help="add a user and print their token (once)",
        description="Add a user. The very first user must be governance and needs no token; "
        "after that, a governance user's token is required.",
    )
    add_subcommand(
        actions,
        "list",
        list_users,
        help="list users, revoked ones included (governance and inspectors)",
        description="Every user, revoked ones included, never a token; governance and "
        "inspectors may list them.",
    )
    add_subcommand(
        actions,
        "rename",
        rename_user,
        USER,
        Argument("--name", type=TITLE, required=True),
        help="give a user a new name",
        description="Rename a user: history, the audit log, the event feed and response "
        "history show the new name beside the user's id from now on.",
    )
    register_signin_commands(actions)
    add_subcommand(actions, "revoke", revoke_user, USER, help="revoke a user's token at once")


def add_user(args: argparse.Namespace) -> int:
    """Add a user; the first governance user may start a new SQLite file (and is told so).

    Every value comes from an argument, so a user the directory refuses is a bad argument (2).
    """
    if args.role == Role.AGENCY.value and args.agency is None:
        raise CliError(
            "an agency user needs an agency: add --agency CODE, e.g. --agency health",
            ExitCode.USAGE,
        )
    settings = load_settings()
    new = missing(settings)
    not_first = first_user_refusal(Role(args.role))
    if new is not None and not_first is not None:
        raise CliError(f"{not_first}: {new}", ExitCode.UNAUTHORIZED)
    with open_services(settings, may_create=True) as services:
        users = services.users
        if new is not None:
            warn(f"Created a new database: {describe_database(settings)}")
        if users.count() == 0:
            if not_first is not None:
                raise CliError(not_first, ExitCode.UNAUTHORIZED)
            created_by = None
        else:
            created_by = signed_in(users, args, Task.MANAGE_USERS).id
        try:
            added = users.add(
                name=args.name,
                role=args.role,
                agency=args.agency,
                created_by=created_by,
                email=args.email,
                oidc_issuer=args.oidc_issuer,
                oidc_subject=args.oidc_subject,
            )
        except InvalidInput as error:  # e.g. an unknown agency code
            raise CliError(str(error), ExitCode.USAGE) from None
    user = added.user
    if args.json:
        print_json(
            {
                "user": user.id,
                "name": user.name,
                "role": user.role.value,
                "agency": user.agency,
                "token": added.token,
                "token_expires_at": _iso(user.token_expires_at),
            }
            | {
                field: value
                for field, value in (
                    ("email", user.email),
                    ("oidc_issuer", user.oidc_issuer),
                    ("oidc_subject", user.oidc_subject),
                )
                if value
            }
        )
    else:
        agency = f" ({agency_name(user.agency)})" if user.agency else ""
        say(f"Added {user.name}, {user.role.value}{agency}, as user {user.id}.")
        say(f"Token (shown only now; keep it safe; it expires {user.token_expires_at:%Y-%m-%d}):")
        say(added.token)
    return 0


def list_users(args: argparse.Namespace) -> int:
    everyone: list[UserView] = answer(args, UsersQuery(), quiet=True, catch_up=False)
    if args.json:
        print_json([u.model_dump(mode="json") for u in everyone])
        return 0
    print_table(
        "Users",
        ["user", "name", "role", "agency", "added", "revoked", "token expires", "token last used"],
        (
            (
                u.user,
                u.name,
                u.role.value,
                agency_name(u.agency) if u.agency else "",
                f"{u.created_at:%Y-%m-%d %H:%M}",
                f"{u.revoked_at:%Y-%m-%d %H:%M}" if u.revoked_at else "",
                f"{u.token_expires_at:%Y-%m-%d}" if u.token_expires_at else "",
                f"{u.token_last_used_at:%Y-%m-%d %H:%M}" if u.token_last_used_at else "never",
            )
            for u in everyone
        ),
    )
    return 0


def rename_user(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        users = services.users
        signed_in(users, args, Task.MANAGE_USERS)
        user = users.rename(args.user, args.name)
    if args.json:
        print_json(UserView.of(user))
    else:
        say(f"Renamed user {user.id} to {user.name}.")
    return 0


def revoke_user(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        users = services.users
        governance = signed_in(users, args, Task.MANAGE_USERS)
        user = users.revoke(args.user)
        services.signin.sessions.end_all(user.id, by=governance.id, reason="user revoked")
    if args.json:
        print_json({"user": user.id, "revoked_at": user.revoked_at})
    else:
        say(f"Revoked {user.name} ({user.id}); their token no longer works.")
    return 0


def _iso(moment: "datetime | None") -> str | None:
    return moment.isoformat() if moment else None
