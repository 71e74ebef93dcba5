"""Arguments: the version, and bad values refused with exit 2 and a message saying why."""

import pytest

from domain.text import EXCERPT
from infrastructure.version import package_version
from tests.cli.conftest import Run


def test_version_prints_the_package_version(run: Run) -> None:
    result = run("--version")

    assert result.code == 0
    assert result.out == f"actiontrail {package_version()}\n"
    assert package_version() != "unknown"


def test_a_timestamp_argument_not_in_iso_form_names_the_form_expected(
    run: Run, governance: str
) -> None:
    result = run("audit-log", "--from", "25/11/2026 09:00", token=governance)

    assert result.code == 2
    assert "--from" in result.err
    assert (
        "'25/11/2026 09:00': expected an ISO 8601 timestamp with offset, "
        "e.g. 2026-11-25T09:00:00Z (invalid character in year)"
    ) in result.err


@pytest.mark.parametrize(
    ("value", "reason"),
    [("25/11/2026", "invalid character in year"), ("2026-11-25T09:00Z", "it has a time of day")],
)
def test_a_date_argument_not_in_iso_form_names_the_form_expected(
    run: Run, governance: str, value: str, reason: str
) -> None:
    result = run("export", "--as-of", value, token=governance)

    assert result.code == 2
    assert "--as-of" in result.err
    assert f"expected an ISO 8601 date, YYYY-MM-DD, e.g. 2026-11-25 ({reason})" in result.err


def test_a_year_out_of_range_still_gives_an_example(run: Run, governance: str) -> None:
    result = run("export", "--as-of", "1800-01-01", token=governance)

    assert result.code == 2
    assert "must lie in the years 1900 to 2100 (e.g. 2026-11-25)" in result.err


@pytest.mark.parametrize("limit", ["0", "1001", "-1"])
def test_a_page_size_out_of_range_is_a_bad_argument(run: Run, governance: str, limit: str) -> None:
    result = run("audit-log", "--limit", limit, token=governance)

    assert result.code == 2
    assert "--limit" in result.err


def test_an_audit_log_period_that_ends_before_it_starts_is_a_bad_argument(
    run: Run, governance: str
) -> None:
    result = run(
        "audit-log", "--from", "2024-01-02T00:00Z", "--to", "2024-01-01T00:00Z", token=governance
    )

    assert result.code == 2
    assert (
        "error: from (2024-01-02T00:00:00+00:00) is after to (2024-01-01T00:00:00+00:00)"
        in result.err
    )


LONG = "p" * 600


@pytest.mark.parametrize(
    "argv",
    [
        ("report", "overdue", "--agency", LONG),
        ("report", "overdue", "--agency", LONG[:100]),  # a code's length, but unknown
        ("report", "overdue", "--as-of", LONG),
        ("list", "actions", "--status", LONG),
        ("show", LONG),
        ("users", "rename", "u-1", "--name", LONG),
        ("users", "add", "--name", "P", "--role", "agency", "--agency", LONG[:100]),
        ("projections", "retry", LONG),
        ("verify", "--from", LONG),
    ],
)
def test_an_invalid_value_is_quoted_as_the_api_quotes_it(
    run: Run, governance: str, argv: tuple[str, ...]
) -> None:
    result = run(*argv, token=None if argv[0] in ("projections", "verify") else governance)

    assert result.code != 0
    assert result.err.startswith(("error:", "usage:"))
    assert "p" * EXCERPT not in result.err
    assert "'" + "p" * (EXCERPT - 1) + "…'" in result.err
