"""The error table: each kind of error with what every front end answers it.

HTTP answers a problem (``status``; ``title``, or the error's own), the CLI one ``error:`` line
and ``exit_code``, the console an error page headed ``page`` (with the same status). Where a row
has no exit code or page (``None``), the error goes on: in the console to the API's problem, in
the CLI to its traceback. Errors of the command line's own start (bad settings, Ctrl-C) are the
CLI's alone (``cli.failures``). The first row whose kinds match an
error is its row, so a kind comes before the kinds it specialises. Whether the database was
reachable is not a kind but a reading of any error (``storage.faults.unavailable_reason``):
``DATABASE_UNAVAILABLE`` is what the front ends answer then.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from application.errors import (
    ConcurrentWrites,
    Forbidden,
    KeyReused,
    NotFound,
    Unauthenticated,
    VersionConflict,
)
from application.inputs import InvalidFilter
from domain.errors import DomainError, InvalidInput
from infrastructure.presentation.exit_codes import ExitCode
from infrastructure.signin.service import Throttled
from infrastructure.storage.faults import RETRY_AFTER_SECONDS, DatabaseUnavailable
from projections import errors as read_errors

#: Seconds a client waits before asking again while the read models catch up.
CATCHING_UP_SECONDS = 5
#: The console's heading of a refusal and of input it cannot use.
NOT_ALLOWED = "Not allowed"
CHECK_INPUT = "Check what you asked"


@dataclass(frozen=True)
class Failure:
    """What each front end answers one kind of error."""

    kinds: tuple[type[Exception], ...]
    #: The HTTP status (the console's page has it too).
    status: int
    exit_code: ExitCode | None
    #: The problem's title; None: the error's own ``title``.
    title: str | None = None
    #: The heading of the console's error page; None: the console answers as the API does.
    page: str | None = None
    #: Seconds to wait before asking again (``Retry-After``), if it says.
    retry_after: Callable[[Any], int] | None = None

    def title_of(self, error: BaseException) -> str:
        return self.title or str(getattr(error, "title", "Request failed"))

    def headers(self, error: BaseException) -> dict[str, str]:
        """``Retry-After``, when the row says how long."""
        if self.retry_after is None:
            return {}
        return {"Retry-After": str(self.retry_after(error))}


FAILURES: tuple[Failure, ...] = (
    Failure((Unauthenticated,), 401, ExitCode.UNAUTHORIZED),
    Failure(
        (Throttled,),
        429,
        None,
        title="Too many failures",
        page="Too many attempts",
        retry_after=lambda error: error.seconds,
    ),
    Failure((Forbidden,), 403, ExitCode.UNAUTHORIZED, page=NOT_ALLOWED),
    Failure((NotFound, read_errors.NotFound), 404, ExitCode.NOT_FOUND, "Not found", "Not found"),
    Failure((VersionConflict, ConcurrentWrites), 409, ExitCode.CONFLICT),
    Failure((InvalidFilter,), 422, ExitCode.USAGE, page=CHECK_INPUT),
    Failure((InvalidInput,), 422, ExitCode.INVALID, page=CHECK_INPUT),
    Failure((KeyReused,), 422, ExitCode.INVALID),
    Failure((DomainError,), 409, ExitCode.CONFLICT),
    Failure(
        (read_errors.ProjectionsBehind,),
        503,
        ExitCode.FAILED,
        "Reports catching up",
        retry_after=lambda _: CATCHING_UP_SECONDS,
    ),
    Failure((read_errors.ProjectionStalled,), 503, ExitCode.STALLED, "Read model stalled"),
)

#: The database did not answer (whatever the error that said so).
DATABASE_UNAVAILABLE = Failure(
    (DatabaseUnavailable,),
    503,
    ExitCode.DATABASE_UNAVAILABLE,
    "Database unavailable",
    retry_after=lambda _: RETRY_AFTER_SECONDS,
)


def failure_of(error: BaseException) -> Failure | None:
    """The row of ``error``, or None when the table does not know its kind."""
    return next((row for row in FAILURES if isinstance(error, row.kinds)), None)


def known_kinds() -> tuple[type[Exception], ...]:
    """Every kind the table knows."""
    return tuple(kind for row in FAILURES for kind in row.kinds)
