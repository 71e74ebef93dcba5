"""The ``actiontrail`` command line.

Exit codes: 0 done; 1 unexpected failure; 2 bad arguments or settings (or no database file);
3 invalid data (nothing written); 4 no token, an unknown token or a role not allowed; 5 not
found; 6 refused by a rule of the domain or a version conflict; 7 the database cannot be
reached; 8 the port to serve on is in use; 10 a read model is stalled (see ``projections
status``); 11 the log does not verify (``verify``); 12 the log could not be verified with a
trusted key (``verify``, ``pack verify``); 13 a pack does not match the log (``pack verify``);
130 interrupted.
"""

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from infrastructure.presentation.exit_codes import ExitCode
from infrastructure.version import package_version

#: The exit code of a command interrupted (Ctrl-C).
INTERRUPTED = ExitCode.INTERRUPTED


@dataclass(frozen=True)
class Command:
    """A command as ``actiontrail --help`` lists it; its module (with ``register(commands)``,
    adding its parser) is imported only when the command is chosen."""

    name: str
    help: str
    module: str
    #: What Ctrl-C before the command is done says (after ``error: ``).
    interrupted: str = "interrupted"


#: Every command, in the order of ``actiontrail --help``: adding one is one line here.
COMMANDS = (
    Command("serve", "serve the HTTP API until interrupted", "infrastructure.cli.serve"),
    Command(
        "demo",
        "load the seed audit into a fresh database and print its reports",
        "infrastructure.cli.demo",
    ),
    Command(
        "import",
        "import a JSON file (all aggregates) or a CSV file of meetings",
        "infrastructure.cli.importing",
        "interrupted; nothing was written (an import is all or nothing: importing the file "
        "again writes it whole)",
    ),
    Command("report", "print a report from the read models", "infrastructure.cli.reports"),
    Command(
        "queue",
        "agency submissions waiting for governance, oldest first",
        "infrastructure.cli.queue",
    ),
    Command(
        "list",
        "list meetings, recommendations or actions, filtered, oldest first",
        "infrastructure.cli.lists",
    ),
    Command(
        "show",
        "the state of a meeting, recommendation or action: now, on a day, as known at a time",
        "infrastructure.cli.show",
    ),
    Command(
        "history",
        "the events of a meeting, recommendation or action, and its state",
        "infrastructure.cli.history",
    ),
    Command(
        "audit-log",
        "every event: who changed what, when; filtered",
        "infrastructure.cli.auditlog",
    ),
    Command(
        "projections", "status, rebuild or run the read models", "infrastructure.cli.projections"
    ),
    Command(
        "users", "add, list, rename and revoke users and their tokens", "infrastructure.cli.users"
    ),
    Command(
        "reference",
        "every code list, the statutory partners and the timescales",
        "infrastructure.cli.reference",
    ),
    Command("export", "write every read model as a CSV file", "infrastructure.cli.export"),
    Command(
        "verify",
        "verify the log against its hash chain and signed checkpoints",
        "infrastructure.cli.verify",
    ),
    Command(
        "pack",
        "write an inspection pack (PDF) as of a day, as known at a time; or verify one",
        "infrastructure.cli.packs",
    ),
    Command(
        "integrity",
        "make a signing key pair, or a checkpoint of the log now",
        "infrastructure.cli.integrity",
    ),
)


class ShowVersion(argparse.Action):
    """``--version``: the package's version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"{parser.prog} {package_version()}")
        parser.exit()


def interrupted_message(name: str | None) -> str:
    """What Ctrl-C says for the command ``name``."""
    return next((c.interrupted for c in COMMANDS if c.name == name), "interrupted")


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command named in ``argv``: its first positional (the top level's options take no
    value), or None."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser listing every command; only the ``chosen`` one's module is imported, to add
    its arguments (the others are names and help)."""
    parser = argparse.ArgumentParser(
        prog="actiontrail",
        description="Event-sourced action tracking for safeguarding partnerships. The database "
        "is ACTIONTRAIL_DATABASE_URL (default sqlite:///actiontrail.db); commands that read or "
        "change records need a user's token (--token or ACTIONTRAIL_TOKEN).",
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=ShowVersion)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        if command.name == chosen:
            import_module(command.module).register(commands)
        else:
            commands.add_parser(command.name, help=command.help)
    return parser


@contextmanager
def ending_at_once_on_ctrl_c(message: str) -> Iterator[None]:
    """While modules are imported (nothing written yet), Ctrl-C ends the process at once with
    ``message`` and 130: raised there, ``KeyboardInterrupt`` can land in the import system's
    own callbacks, which print it as an ignored exception with a traceback and go on."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def end(signum: int, frame: object) -> None:
        sys.stderr.write(message)
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(INTERRUPTED)

    previous = signal.signal(signal.SIGINT, end)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` names; its exit code. Ctrl-C at any moment, the first ones
    (while modules are imported) included, is ``error: interrupted`` and 130, no traceback."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    message = f"error: {interrupted_message(chosen_command(arguments))}\n"
    try:
        with ending_at_once_on_ctrl_c(message):
            try:
                args = build_parser(chosen_command(arguments)).parse_args(arguments)
            except SystemExit as exit:
                return int(exit.code or 0)
            from infrastructure.cli.failures import run  # the chosen command's imports only
        return run(args, interrupted_message(chosen_command(arguments)))
    except KeyboardInterrupt:
        sys.stderr.write(message)
        return INTERRUPTED


def entry() -> int:
    """The ``actiontrail`` program: ``main``, then exit with its code. Interrupted, it ends at
    once with 130 (output flushed): CPython 3.11 remembers a Ctrl-C that fell inside code it
    ran from a string (as ``dataclasses`` does while modules are imported), handled or not,
    and would otherwise end the process by SIGINT instead of with the code.

    Done, the command has said all it says: a Ctrl-C while the interpreter tears down is
    ignored, since CPython puts back SIGINT's default action before it frees the modules (a
    second or more after a large import), which would end the process by SIGINT (-2) after an
    import that was written whole and said so."""
    code = main()
    if code == INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(code)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return code
