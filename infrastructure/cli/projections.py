"""``actiontrail projections status|rebuild|run``: the read models' progress and upkeep.

These are operators' commands on the server's own database; they read no records and need no
token.
"""

import argparse
import signal
import threading
from types import FrameType

from application.service import ActionTrail
from infrastructure.cli.context import load_settings, open_trail
from infrastructure.cli.output import CliError, ExitCode, print_json, print_table, progress_bar, say
from infrastructure.config import Settings
from infrastructure.database_faults import describe_database
from infrastructure.projections_wiring import PostgresListener, build_read_service, rebuild
from projections.errors import UnknownProjection
from projections.runner import all_projections


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser("projections", help="status, rebuild or run the read models")
    actions = parser.add_subparsers(dest="projections_command", required=True)
    status = actions.add_parser("status", help="each projection's position, the head and lag")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(run=show_status)
    rebuild = actions.add_parser("rebuild", help="empty and replay projections from the log")
    rebuild.add_argument("names", nargs="*", help="projections to rebuild (default: all)")
    rebuild.add_argument("--json", action="store_true", help="print JSON")
    rebuild.add_argument(
        "--processes",
        type=int,
        choices=[1, 2],
        help="1: one process; 2: the audit log in a second one (default: 2 for large logs)",
    )
    rebuild.set_defaults(run=run_rebuild)
    run = actions.add_parser(
        "run",
        help="the separate worker: follow the log until interrupted",
        description="Keep the read models up to date as a process of its own (when the "
        "server does not run them); stops cleanly on Ctrl-C or SIGTERM.",
    )
    run.set_defaults(run=run_worker)


def show_status(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_trail(settings) as trail:
        service = build_read_service(settings, trail, consistent=False)
        statuses = service.status()
        service.runner.engine.dispose()
    if args.json:
        print_json({"projections": [s.model_dump(mode="json") for s in statuses]})
        return 0
    print_table(
        "Projections",
        ["name", "position", "head", "lag", "error"],
        ((s.name, s.position, s.head, s.lag, s.error or "") for s in statuses),
    )
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_trail(settings) as trail:
        try:
            with progress_bar(args.json) as bar:
                task = bar.add_task("rebuilding", total=None)
                done = rebuild(
                    settings,
                    trail,
                    args.names or None,
                    lambda done, total: bar.update(task, completed=done, total=total),
                    args.processes,
                )
        except UnknownProjection as error:
            raise CliError(str(error.args[0]), ExitCode.USAGE) from None
    names = args.names or [p.name for p in all_projections()]
    if args.json:
        print_json({"rebuilt": names, "events": done})
    else:
        say(f"Rebuilt {', '.join(names)} from {done} events.")
    return 0


def run_worker(_: argparse.Namespace) -> int:
    settings = load_settings()
    with open_trail(settings) as trail:
        follow(settings, trail)
    return 0


def follow(settings: Settings, trail: ActionTrail) -> None:
    """Run the projections until SIGINT or SIGTERM."""
    service = build_read_service(settings, trail, consistent=False)
    listener = PostgresListener(settings, service.runner.poke)
    if settings.store == "postgresql":
        listener.start()
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    service.start()
    say(f"Following the log of {describe_database(settings)}; Ctrl-C to stop.")
    stop.wait()
    service.stop()
    if settings.store == "postgresql":
        listener.stop()
    service.runner.engine.dispose()
