"""The ``actiontrail`` command line.

Exit codes: 0 done; 1 unexpected failure; 2 bad arguments or settings (or no database file;
or a filter naming an unknown code, or a period ending before it starts); 3 invalid data
(nothing written); 4 no token, an unknown token or a role not allowed; 5 not found; 6 refused
by a rule of the domain or a version conflict; 7 the database cannot be reached; 8 the port to
serve on is in use; 10 a read model is stalled (see ``projections status``); 130 interrupted.
"""

import argparse
from collections.abc import Sequence
from typing import Any

from application.errors import ConcurrentWrites, Forbidden, KeyReused, NotFound, VersionConflict
from application.inputs import InvalidFilter
from domain.errors import DomainError, InvalidInput
from infrastructure.cli import (
    auditlog,
    demo,
    export,
    history,
    importing,
    lists,
    reference,
    reports,
    serve,
    users,
)
from infrastructure.cli import projections as projection_commands
from infrastructure.cli.context import unavailable_message
from infrastructure.cli.output import CliError, ExitCode, fail
from infrastructure.config import ConfigurationError
from infrastructure.database_faults import unavailable_reason
from infrastructure.version import package_version
from projections import errors as read_errors

SUBCOMMANDS = (
    serve,
    demo,
    importing,
    reports,
    lists,
    history,
    auditlog,
    projection_commands,
    users,
    reference,
    export,
)


class ShowVersion(argparse.Action):
    """``--version``: the package's version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"{parser.prog} {package_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
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
    for module in SUBCOMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    try:
        return int(args.run(args))
    except CliError as error:
        fail(str(error))
        return error.code
    except (ConfigurationError, InvalidFilter) as error:
        fail(str(error))
        return ExitCode.USAGE
    except KeyboardInterrupt:
        fail("interrupted")
        return ExitCode.INTERRUPTED
    except Forbidden as error:
        fail(str(error))
        return ExitCode.UNAUTHORIZED
    except (NotFound, read_errors.NotFound) as error:
        fail(str(error))
        return ExitCode.NOT_FOUND
    except read_errors.ProjectionStalled as error:
        fail(str(error))
        return ExitCode.STALLED
    except read_errors.ProjectionsBehind as error:
        fail(str(error))
        return ExitCode.FAILED
    except (InvalidInput, KeyReused) as error:
        fail(str(error))
        return ExitCode.INVALID
    except (DomainError, VersionConflict, ConcurrentWrites) as error:
        fail(str(error))
        return ExitCode.CONFLICT
    except Exception as error:
        reason = unavailable_reason(error)
        if reason is None:
            raise
        fail(unavailable_message(reason))
        return ExitCode.DATABASE_UNAVAILABLE
