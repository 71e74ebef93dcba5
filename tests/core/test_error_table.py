"""The error table (``infrastructure.presentation.failures``): each kind has one row, and the
row the front ends find for an error is the one written for its kind."""

from uuid import uuid4

import pytest

from application.errors import NotThen, Unauthenticated, VersionConflict
from application.inputs import InvalidFilter
from domain.errors import MeetingCancelled, UnknownCode
from infrastructure.presentation.exit_codes import ExitCode
from infrastructure.presentation.failures import FAILURES, failure_of
from infrastructure.signin.service import Throttled
from projections.errors import ProjectionsBehind


def test_no_row_is_hidden_behind_an_earlier_one() -> None:
    """A row for a kind after a row for one of its bases would never be found."""
    hidden = [
        (later.__name__, earlier.__name__)
        for i, row in enumerate(FAILURES)
        for later in row.kinds
        for before in FAILURES[:i]
        for earlier in before.kinds
        if issubclass(later, earlier)
    ]
    assert hidden == []


@pytest.mark.parametrize(
    ("error", "status", "title", "exit_code", "page", "retry_after"),
    [
        (
            Unauthenticated("no token"),
            401,
            "Authentication required",
            ExitCode.UNAUTHORIZED,
            None,
            None,
        ),
        (Throttled(7), 429, "Too many failures", None, "Too many attempts", "7"),
        (
            NotThen("action", uuid4(), "later"),
            404,
            "Not found",
            ExitCode.NOT_FOUND,
            "Not found",
            None,
        ),
        (VersionConflict(uuid4(), 1, 2), 409, "Version conflict", ExitCode.CONFLICT, None, None),
        (
            InvalidFilter("no such agency"),
            422,
            "Invalid filter",
            ExitCode.USAGE,
            "Check what you asked",
            None,
        ),
        (
            UnknownCode("no such code"),
            422,
            "Unknown code",
            ExitCode.INVALID,
            "Check what you asked",
            None,
        ),
        (MeetingCancelled("cancelled"), 409, "Meeting cancelled", ExitCode.CONFLICT, None, None),
        (ProjectionsBehind("behind"), 503, "Reports catching up", ExitCode.FAILED, None, "5"),
    ],
)
def test_each_front_end_reads_its_column(
    error: Exception,
    status: int,
    title: str,
    exit_code: ExitCode | None,
    page: str | None,
    retry_after: str | None,
) -> None:
    failure = failure_of(error)

    assert failure is not None
    assert (failure.status, failure.title_of(error), failure.exit_code, failure.page) == (
        status,
        title,
        exit_code,
        page,
    )
    assert failure.headers(error).get("Retry-After") == retry_after


def test_an_error_the_table_does_not_know_has_no_row() -> None:
    assert failure_of(RuntimeError("unexpected")) is None
