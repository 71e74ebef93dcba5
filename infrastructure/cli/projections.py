"""``actiontrail projections status|rebuild|run|retry|skip``: the read models' progress and upkeep.

These are operators' commands on the server's own database. ``status`` is a read like
``GET /projections``: the application's role table (``permissions.QUERY_READERS``) lets the
report readers ask it, so it needs their token. ``skip`` writes an event to the log and is for
governance only. ``rebuild``, ``run`` and ``retry`` read no records and need no token.
"""

import argparse
import signal
import threading
from types import FrameType
from typing import Any

from pydantic import ValidationError

from application.commands import RecordProjectionSkip
from application.permissions import Task
from application.queries import StatusQuery
from domain.text import quoted
from infrastructure.cli.context import load_settings, open_services, signed_in
from infrastructure.cli.output import (
    CliError,
    ExitCode,
    print_json,
    print_table,
    progress_bar,
    say,
    warn,
)
from infrastructure.cli.reading import answer
from infrastructure.cli.subcommands import JSON, Argument, add_subcommand
from infrastructure.presentation.queries import Projections
from infrastructure.rebuild import rebuild
from infrastructure.storage.faults import describe_database
from projections.errors import UnknownProjection
from projections.models import ProjectionStatus
from projections.runner import all_projections


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser("projections")
    actions = parser.add_subparsers(dest="projections_command", required=True)
    add_subcommand(
        actions, "status", show_status, help="each projection's position, the head and lag"
    )
    add_subcommand(
        actions,
        "rebuild",
        run_rebuild,
        Argument("names", nargs="*", help="projections to rebuild (default: all)"),
        JSON,
        Argument(
            "--processes",
            type=int,
            choices=[1, 2],
            help="1: one process; 2: the audit log in a second one (default: 2 for large logs)",
        ),
        json=False,
        token=False,
        help="empty and replay projections from the log",
    )
    add_subcommand(
        actions,
        "run",
        run_worker,
        json=False,
        token=False,
        help="the separate worker: follow the log until interrupted",
        description="Keep the read models up to date as a process of its own (when the "
        "server does not run them); stops cleanly on Ctrl-C or SIGTERM.",
    )
    add_subcommand(
        actions,
        "retry",
        run_retry,
        Argument("names", nargs="*", help="projections to retry (default: all stalled)"),
        token=False,
        help="try stalled projections again",
        description="Try the stalled projections named (default: every stalled one) again from "
        "the event they stalled at. Exit 0 when they all pass it, 10 when one is still stalled.",
    )
    add_subcommand(
        actions,
        "skip",
        run_skip,
        Argument("name", help="the stalled projection"),
        Argument("--position", type=int, required=True, help="the event it is stalled at"),
        Argument("--reason", required=True, help="why the read model may pass the event"),
        help="record a reasoned skip of the event a projection is stalled at (governance)",
        description="Record in the event log, as an audited event, that the projection passes "
        "the one event it is stalled at, with your reason; then let it move on. The projection "
        "must be stalled at --position. Governance only.",
    )


def show_status(args: argparse.Namespace) -> int:
    shown: Projections = answer(args, StatusQuery(), quiet=True, catch_up=False)
    print_statuses("Projections", shown.projections, args.json)
    return 0


def print_statuses(title: str, statuses: list[ProjectionStatus], as_json: bool) -> None:
    if as_json:
        print_json(Projections(projections=statuses))
        return
    print_table(
        title,
        ["name", "position", "head", "lag", "status", "stalled at", "error"],
        ((s.name, s.position, s.head, s.lag, s.status, s.stalled_at, s.error) for s in statuses),
    )


def run_retry(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        runner = services.read.runner
        try:
            tried = runner.retry(args.names or None)
        except UnknownProjection as error:
            raise CliError(str(error.args[0]), ExitCode.USAGE) from None
        statuses = [s for s in runner.status() if s.name in tried]
    if not tried and not args.json:
        say("No projection named is stalled.")
    else:
        print_statuses("Retried", statuses, args.json)
    return ExitCode.STALLED if any(s.status == "stalled" for s in statuses) else ExitCode.OK


def run_skip(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        user = signed_in(services.users, args, Task.SKIP_EVENT)
        runner = services.read.runner
        if args.name not in runner.names:
            raise CliError(
                f"unknown projection {quoted(args.name)}; known: {runner.names}", ExitCode.USAGE
            )
        stall = runner.stored_stalls().get(args.name)
        if stall is None or stall.position != args.position:
            where = f"it is stalled at {stall.position}" if stall else "it is not stalled"
            raise CliError(
                f"{args.name} is not stalled at position {args.position}: {where}",
                ExitCode.CONFLICT,
            )
        try:
            command = RecordProjectionSkip(
                projection=args.name, position=args.position, reason=args.reason
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()
            )
            raise CliError(f"invalid skip: {problems}", ExitCode.INVALID) from None
        recorded = services.trail.execute(command, user.actor)
        runner.retry([args.name])
        (status,) = [s for s in runner.status() if s.name == args.name]
    if args.json:
        print_json(
            {"skip": recorded.model_dump(mode="json"), "projection": status.model_dump(mode="json")}
        )
    else:
        say(
            f"Recorded the skip of the event at {args.position} by {args.name} "
            f"(event {recorded.id} at log position {recorded.position})."
        )
        print_statuses("Projection", [status], False)
    return ExitCode.STALLED if status.status == "stalled" else ExitCode.OK


def run_rebuild(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        try:
            with progress_bar(args.json) as bar:
                task = bar.add_task("rebuilding", total=None)
                done = rebuild(
                    settings,
                    services.trail,
                    args.names or None,
                    lambda done, total: bar.update(task, completed=done, total=total),
                    args.processes,
                )
        except UnknownProjection as error:
            raise CliError(str(error.args[0]), ExitCode.USAGE) from None
        names = args.names or [p.name for p in all_projections()]
        stalls = services.read.runner.stored_stalls()
        stalled = {n: s for n, s in stalls.items() if n in names}
    if args.json:
        answer: dict[str, Any] = {"rebuilt": names, "events": done}
        if stalled:
            answer["stalled"] = {
                n: {"stalled_at": s.position, "error": s.error} for n, s in stalled.items()
            }
        print_json(answer)
    else:
        say(f"Rebuilt {', '.join(names)} from {done} events.")
        for name, stall in sorted(stalled.items()):
            warn(f"{name} is stalled at position {stall.position}: {stall.error}")
    return ExitCode.STALLED if stalled else ExitCode.OK


def run_worker(_: argparse.Namespace) -> int:
    """Run the projections until SIGINT or SIGTERM."""
    settings = load_settings()
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    with open_services(settings, follow=True):
        say(f"Following the log of {describe_database(settings)}; Ctrl-C to stop.")
        stop.wait()
    return 0
