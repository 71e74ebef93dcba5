"""Running the chosen command: each failure it raises as one ``error:`` line and its exit code
(the codes of ``docs/cli.md``)."""

import argparse

from application.errors import ConcurrentWrites, Forbidden, KeyReused, NotFound, VersionConflict
from application.inputs import InvalidFilter
from domain.errors import DomainError, InvalidInput
from infrastructure.cli.context import load_settings, unavailable_message
from infrastructure.cli.output import CliError, ExitCode, fail
from infrastructure.config import ConfigurationError
from infrastructure.storage.existing import no_such_database
from infrastructure.storage.faults import unavailable_reason
from projections import errors as read_errors


def run(args: argparse.Namespace, interrupted: str) -> int:
    """Run the command ``args`` chose; its exit code, or the code of what it raised
    (``interrupted``: what Ctrl-C says, after ``error:``)."""
    try:
        return int(args.run(args))
    except CliError as error:
        fail(str(error))
        return error.code
    except (ConfigurationError, InvalidFilter) as error:
        fail(str(error))
        return ExitCode.USAGE
    except KeyboardInterrupt:
        fail(interrupted)
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
        no_database = no_such_database(load_settings(), error)
        if no_database is not None:
            fail(no_database)
            return ExitCode.USAGE
        reason = unavailable_reason(error)
        if reason is None:
            raise
        fail(unavailable_message(reason))
        return ExitCode.DATABASE_UNAVAILABLE
