"""``actiontrail demo``: the seed audit loaded into a fresh SQLite file, with its reports."""

import argparse
import shlex
from pathlib import Path
from typing import Any

from domain.codes import Role
from infrastructure import importer
from infrastructure.cli.context import open_trail, open_users
from infrastructure.cli.output import CliError, ExitCode, print_json, progress_bar, say
from infrastructure.config import Settings

SCENARIO = "seed-audit.json"


def scenario_path() -> Path:
    return Path(__file__).resolve().parent.parent / "scenarios" / SCENARIO


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "demo",
        help="load the seed audit into a fresh SQLite file and print its reports",
        description="Load the scenario built from the seed audit (26 strategy meetings, five "
        "recommendations with their responses and actions) into a fresh SQLite file, print "
        "the reports, and say how to start the server on that file.",
    )
    parser.add_argument(
        "--file",
        type=Path,
        default=Path("actiontrail-demo.db"),
        help="the SQLite file to create (replaced if it exists; default: %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=demo)


def fresh_database(path: Path) -> Settings:
    path = path.resolve()
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    return Settings(database_url=f"sqlite:///{path}")


def demo(args: argparse.Namespace) -> int:
    settings = fresh_database(args.file)
    with open_users(settings) as users:
        added = users.add(
            name="Demo governance lead", role=Role.GOVERNANCE, agency=None, created_by=None
        )
    actor = added.user.actor
    with open_trail(settings) as trail:
        parsed = importer.parse(importer.read_file(scenario_path()), actor, trail.reference)
        if parsed.errors:
            problems = "; ".join(str(e) for e in parsed.errors)
            raise CliError(f"the demo scenario is invalid: {problems}", ExitCode.FAILED)
        with progress_bar(args.json) as bar:
            task = bar.add_task("loading the seed audit", total=len(parsed.rows))
            outcome = importer.write(trail, actor, parsed.rows, on_row=lambda _: bar.advance(task))
    summary: dict[str, Any] = {
        "database_url": settings.database_url,
        "created": outcome.created,
        "events_written": outcome.events_written,
        "user": added.user.id,
        "token": added.token,
        "serve": serve_command(settings),
    }
    if args.json:
        print_json(summary)
        return 0
    created = ", ".join(f"{n} {s}" for s, n in outcome.created.items())
    say(f"Loaded the seed audit into {settings.sqlite_path}: {created}.")
    say(f"{outcome.events_written} events written.\n")
    say("Start the server on this file:")
    say(f"  {summary['serve']}")
    say("and call it as the demo's governance user:")
    say(f"  curl -H 'Authorization: Bearer {added.token}' http://127.0.0.1:8000/health")
    return 0


def serve_command(settings: Settings) -> str:
    url = shlex.quote(settings.database_url)
    return f"ACTIONTRAIL_DATABASE_URL={url} actiontrail serve --host 127.0.0.1 --port 8000"
