"""``actiontrail demo``: the seed audit loaded into a fresh database, with its reports."""

import argparse
import shlex
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from application.queries import (
    AttendanceQuery,
    AuditLogQuery,
    OverdueQuery,
    QualityQuery,
    ResponsesQuery,
    TimelinessQuery,
)
from domain.clock import london_today
from domain.codes import Role
from domain.values import Actor
from infrastructure.cli.context import load_settings, open_services
from infrastructure.cli.demo_database import DEMO_USER, demo_settings, mark_as_demo
from infrastructure.cli.output import CliError, ExitCode, print_json, progress_bar, say
from infrastructure.cli.reading import reading
from infrastructure.cli.report_tables import render
from infrastructure.config import Settings
from infrastructure.importing import importer
from infrastructure.presentation.queries import Queries
from infrastructure.presentation.wording import counted, counts
from infrastructure.storage.faults import describe_database
from infrastructure.storage.memory_store import build_memory_application

SCENARIO = "seed-audit.json"
AUDIT_REF = "SM-AUDIT-2023"
#: The historical overdue report the demo prints: the day after the seed's March deadlines.
HISTORICAL_AS_OF = date(2024, 4, 1)


def scenario_path() -> Path:
    return Path(__file__).resolve().parent.parent / "scenarios" / SCENARIO


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "demo",
        description="Load the scenario built from the seed audit (26 strategy meetings, five "
        "recommendations with their responses and actions) into the configured database (a fresh "
        "SQLite file, or the empty schema of a PostgreSQL ACTIONTRAIL_DATABASE_URL), print the "
        "reports, and "
        "say how to start the server on it. An existing file is replaced only if it is a demo "
        "database that no process has open.",
    )
    parser.add_argument(
        "--file",
        type=Path,
        help="the SQLite file to create (default: the configured database, "
        "ACTIONTRAIL_DATABASE_URL, that every command opens: actiontrail.db in the working "
        "directory unless set)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=demo)


def demo(args: argparse.Namespace) -> int:
    settings = demo_settings(args.file, load_settings())
    with open_services(settings, may_create=True) as services:
        added = services.users.add(
            name=DEMO_USER, role=Role.GOVERNANCE, agency=None, created_by=None
        )
        mark_as_demo(settings)
        actor = added.user.actor
        trail = services.trail
        rehearsal = build_memory_application(settings)
        parsed = importer.parse(importer.read_file(scenario_path()), actor, rehearsal)
        if parsed.errors:
            problems = "; ".join(str(e) for e in parsed.errors)
            raise CliError(f"the demo scenario is invalid: {problems}", ExitCode.FAILED)
        with progress_bar(args.json) as bar:
            task = bar.add_task("loading the seed audit", total=len(parsed.rows))
            outcome = importer.write(trail, actor, parsed.rows, on_row=lambda _: bar.advance(task))
        reports = seed_reports(reading(services, args.json), actor)
    summary: dict[str, Any] = {
        "database_url": settings.url.render_as_string(hide_password=True),
        "database": describe_database(settings),
        "created": outcome.created,
        "events_written": outcome.events_written,
        "user": added.user.id,
        "token": added.token,
        "serve": serve_command(settings),
        "reports": {name: report.model_dump(mode="json") for name, report in reports.items()},
    }
    if args.json:
        print_json(summary)
        return 0
    created = counts(outcome.created)
    where = settings.sqlite_path if settings.store == "sqlite" else describe_database(settings)
    say(f"Loaded the seed audit into {where}: {created}.")
    say(f"{counted(outcome.events_written, 'event')} written.\n")
    for name, report in reports.items():
        say(f"[bold]{REPORT_TITLES[name]}[/bold]")
        render(report)
        say("")
    say("Start the server on this database:")
    say(f"  {summary['serve']}")
    say("and call it as the demo's governance user:")
    say(f"  curl -H 'Authorization: Bearer {added.token}' http://127.0.0.1:8000/health")
    return 0


REPORT_TITLES = {
    "record_quality": "Record quality of the 10 audited meetings (June to August 2023)",
    "attendance": "Attendance: audited months, and the December 2023 dip sample",
    "timeliness_audit": "Timeliness of the audited meetings",
    "timeliness_december": "Timeliness in December 2023",
    "overdue_april_2024": "Actions overdue on 1 April 2024, after the deadlines of 31 March",
    "overdue": "Actions overdue today",
    "responses": "Recommendation 1: responses and status",
}


def seed_reports(queries: Queries, actor: Actor) -> dict[str, BaseModel]:
    """The reports the seed audit speaks to."""
    june, august = date(2023, 6, 1), date(2023, 8, 31)
    december = (date(2023, 12, 1), date(2023, 12, 31))
    raised = queries.ask(actor, AuditLogQuery(type="Recommendation.Raised", limit=1))
    reports: dict[str, BaseModel] = {
        "record_quality": queries.ask(actor, QualityQuery(AUDIT_REF)),
        "attendance": queries.ask(actor, AttendanceQuery(june, december[1])),
        "timeliness_audit": queries.ask(actor, TimelinessQuery(june, august)),
        "timeliness_december": queries.ask(actor, TimelinessQuery(*december)),
        "overdue_april_2024": queries.ask(actor, OverdueQuery(HISTORICAL_AS_OF)),
        "overdue": queries.ask(actor, OverdueQuery(london_today())),
    }
    if raised.events:
        recommendation = raised.events[0].aggregate_id
        reports["responses"] = queries.ask(actor, ResponsesQuery(recommendation))
    return reports


def serve_command(settings: Settings) -> str:
    serve = "actiontrail serve --host 127.0.0.1 --port 8000"
    if settings.store == "postgresql":
        return f"ACTIONTRAIL_DATABASE_SCHEMA={settings.database_schema} {serve}"
    return f"ACTIONTRAIL_DATABASE_URL={shlex.quote(settings.database_url)} {serve}"
