"""``actiontrail users token|identity|sessions|end-session|sign-ins``: tokens, single sign-on
identities, console sessions and the sign-in record.

``users token USER --break-glass`` is the documented recovery when no governance token works
(all lost or expired): anyone who can open the database can run it, as they could change the
database itself; it is recorded in the sign-in record with the operating system's user and
host, and said on standard error.
"""

import argparse

from application.permissions import Task
from domain.errors import InvalidInput
from infrastructure.cli.arguments import CODE
from infrastructure.cli.context import load_settings, open_services, signed_in
from infrastructure.cli.output import CliError, ExitCode, print_json, print_table, say, warn
from infrastructure.cli.subcommands import Argument, add_subcommand
from infrastructure.signin.records import SignInEvent
from infrastructure.signin.service import Client, local_operator

USER = Argument("user", help="the user's id, e.g. u-1a2b3c4d5e6f")
BREAK_GLASS = "break-glass"
IDENTITY = (
    Argument("--email", help="the e-mail single sign-on matches (when verified)"),
    Argument("--oidc-issuer", help="the identity provider's issuer URL"),
    Argument("--oidc-subject", help="the user's subject at that issuer"),
)


def register_signin_commands(
    actions: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> None:
    add_subcommand(
        actions,
        "token",
        issue_token,
        USER,
        Argument(
            "--break-glass",
            action="store_true",
            help="without a token: for an operator with access to the database when no "
            "governance token works; recorded with your operating system user and host",
        ),
        help="issue a user a new token (the old one stops working)",
        description="Issue a new token to a user, shown once; their old token stops working "
        "and their console sessions end. Needs a governance token, or --break-glass.",
    )
    add_subcommand(
        actions,
        "identity",
        set_identity,
        USER,
        *IDENTITY,
        help="set the e-mail and/or OIDC subject single sign-on finds a user by",
        description="Replace a user's single sign-on identity (none given: no single sign-on).",
    )
    add_subcommand(
        actions,
        "sign-ins",
        list_sign_ins,
        Argument("--user", type=CODE, help="only this user's"),
        Argument("--event", choices=[e.value for e in SignInEvent]),
        Argument("--limit", type=int, default=100, help="at most this many (100)"),
        help="sign-ins, failures, sign-outs and tokens issued (governance)",
        description="The sign-in record, oldest first: who, when, from where, how.",
    )


def issue_token(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        if args.break_glass:
            by, method = local_operator(), BREAK_GLASS
            warn(f"Break-glass: issuing a token as {by}, without a token; this is recorded.")
        else:
            by, method = signed_in(services.users, args, Task.MANAGE_USERS).id, "token"
        try:
            issued = services.signin.issue_token(
                args.user, by=by, client=Client(None), method=method
            )
        except InvalidInput as error:
            raise CliError(str(error), ExitCode.USAGE) from None
    user = issued.user
    expires = user.token_expires_at.isoformat() if user.token_expires_at else None
    if args.json:
        print_json({"user": user.id, "token": issued.token, "token_expires_at": expires})
    else:
        say(f"New token for {user.name} ({user.id}), shown only now; it expires {expires}:")
        say(issued.token)
    return 0


def set_identity(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        signed_in(services.users, args, Task.MANAGE_USERS)
        try:
            user = services.users.set_identity(
                args.user,
                email=args.email,
                oidc_issuer=args.oidc_issuer,
                oidc_subject=args.oidc_subject,
            )
        except InvalidInput as error:
            raise CliError(str(error), ExitCode.USAGE) from None
    identity = {
        "email": user.email,
        "oidc_issuer": user.oidc_issuer,
        "oidc_subject": user.oidc_subject,
    }
    if args.json:
        print_json({"user": user.id, **identity})
    else:
        shown = ", ".join(f"{k} {v}" for k, v in identity.items() if v) or "none"
        say(f"{user.name} ({user.id}) signs in with: {shown}.")
    return 0


def list_sign_ins(args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= 1000:
        raise CliError("--limit must be from 1 to 1000", ExitCode.USAGE)
    settings = load_settings()
    with open_services(settings) as services:
        signed_in(services.users, args, Task.MANAGE_USERS)
        event = SignInEvent(args.event) if args.event else None
        records = services.signin.records.read(user_id=args.user, event=event, limit=args.limit)
    rows = [
        {
            "id": r.id,
            "at": r.at.isoformat(),
            "event": r.event.value,
            "user": r.user_id,
            "method": r.method,
            "address": r.address,
            "detail": r.detail,
        }
        for r in records
    ]
    if args.json:
        print_json(rows)
    else:
        columns = ["at", "event", "user", "method", "address", "detail"]
        print_table("Sign-ins", columns, ([row[c] for c in columns] for row in rows))
    return 0
