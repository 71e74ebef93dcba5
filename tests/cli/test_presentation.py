"""The presentation layer both front ends share: one registry entry per report reaches an HTTP
route answering its model, a CLI subcommand and a readable table; the facade refuses a read
before it touches the read side."""

import argparse
from datetime import date
from types import SimpleNamespace
from typing import Any, cast

import pytest

from application.errors import Forbidden
from application.inputs import InvalidFilter
from application.queries import AttendanceQuery, OverdueQuery
from application.service import ActionTrail
from domain.codes import Role
from domain.reference import DEFAULT_REFERENCE
from domain.values import Actor
from infrastructure.cli import build_parser
from infrastructure.cli.report_tables import RENDER
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.reports import AUDIT_LOG, REPORTS, report_of
from infrastructure.web.app import create_app
from projections.service import ReadService


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_report_has_its_route_its_command_and_its_table() -> None:
    paths = create_app().openapi()["paths"]
    answers = {
        path.removeprefix("/reports/").split("/")[0]: item["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]["$ref"].rpartition("/")[2]
        for path, item in paths.items()
        if path.startswith("/reports/")
    }
    commands = subcommands(subcommands(build_parser("report"))["report"])

    assert answers == {report.name: report.model.__name__ for report in REPORTS}
    assert set(commands) == {report.command for report in REPORTS}
    assert set(RENDER) == {report.model for report in REPORTS}
    for report in (*REPORTS, AUDIT_LOG):
        assert report_of(report.model) is report


class Asked:
    """A read side that records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        def ask(*args: Any) -> Any:
            self.calls.append((name, args))
            return SimpleNamespace(rows=[], model_copy=lambda update: None)

        return ask


def test_the_facade_authorises_then_applies_defaults_and_scope_once() -> None:
    asked = Asked()
    built: list[ReadService] = []

    class Sources:
        @property
        def read(self) -> ReadService:
            built.append(cast(ReadService, asked))
            return built[-1]

    queries = Queries(
        cast(Any, Sources()),
        cast(ActionTrail, SimpleNamespace(reference=DEFAULT_REFERENCE, find=lambda id: None)),
        reference=cast(Any, None),
    )
    police = Actor("u-p", Role.AGENCY, "police")

    with pytest.raises(Forbidden, match="the agency role may not read reports"):
        queries.ask(police, AttendanceQuery())
    with pytest.raises(Forbidden, match="own agency"):
        queries.ask(police, OverdueQuery(agency="health"))
    with pytest.raises(InvalidFilter, match="unknown agency 'Police'"):
        queries.ask(police, OverdueQuery(agency="Police"))
    with pytest.raises(InvalidFilter, match="is after to"):
        queries.ask(
            Actor("u-r", Role.REPORTING), AttendanceQuery(date(2024, 1, 2), date(2024, 1, 1))
        )
    assert built == []

    queries.ask(police, OverdueQuery(as_of=date(2024, 4, 1)))
    reporting = Actor("u-r", Role.REPORTING)
    queries.ask(reporting, AttendanceQuery(to_date=date(2023, 12, 31)))
    assert asked.calls == [
        ("overdue_actions", (date(2024, 4, 1), "police", None)),
        ("attendance_compliance", (date(2023, 1, 1), date(2023, 12, 31), "month", None)),
    ]
