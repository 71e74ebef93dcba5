"""Running the chosen command: each failure it raises as one ``error:`` line and its exit code
(the codes of ``docs/cli.md``; of each kind of error, the error table's,
``presentation.failures``)."""

import argparse

from infrastructure.cli.context import load_settings, unavailable_message
from infrastructure.cli.output import CliError, ExitCode, fail
from infrastructure.config import ConfigurationError
from infrastructure.presentation.failures import DATABASE_UNAVAILABLE, failure_of, known_kinds
from infrastructure.storage.existing import no_such_database
from infrastructure.storage.faults import unavailable_reason


def run(args: argparse.Namespace, interrupted: str) -> int:
    """Run the command ``args`` chose; its exit code, or the code of what it raised
    (``interrupted``: what Ctrl-C says, after ``error:``)."""
    try:
        return int(args.run(args))
    except CliError as error:
        fail(str(error))
        return error.code
    except ConfigurationError as error:
        fail(str(error))
        return ExitCode.USAGE
    except KeyboardInterrupt:
        fail(interrupted)
        return ExitCode.INTERRUPTED
    except known_kinds() as error:
        failure = failure_of(error)
        if failure is None or failure.exit_code is None:
            raise
        fail(str(error))
        return failure.exit_code
    except Exception as error:
        no_database = no_such_database(load_settings(), error)
        if no_database is not None:
            fail(no_database)
            return ExitCode.USAGE
        reason = unavailable_reason(error)
        if reason is None:
            raise
        fail(unavailable_message(reason))
        return DATABASE_UNAVAILABLE.exit_code or ExitCode.FAILED
