"""``actiontrail history ID`` (and ``show ID``, ``infrastructure.cli.show``): a record's events
and its state, now or as it stood on a day and/or as known at a time."""

import argparse
from datetime import date, datetime
from uuid import UUID

from application.errors import NotFound, NotThen
from application.queries import HistoryQuery, StateQuery
from domain.text import quoted
from infrastructure.cli.arguments import DAY, MOMENT, VERSION
from infrastructure.cli.context import (
    add_token_option,
    asking,
    load_settings,
    open_services,
)
from infrastructure.cli.fields import field_lines, readable
from infrastructure.cli.output import CliError, ExitCode, print_json, print_table, say
from infrastructure.cli.people import actor
from infrastructure.cli.reading import reading
from infrastructure.presentation.as_at import AsAt
from infrastructure.presentation.names import readable_data
from projections.models import LogEntry

POINT_HELP = (
    "With --as-of DAY, as it stood on that day (the facts effective by then, in the order they "
    "took effect); with --known-at TIME (or --at, or --version N), as the records stood then; "
    "both together answer 'how did it stand on DAY, as known at TIME'."
)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    history_parser = commands.add_parser(
        "history",
        description="Print every event of one meeting, recommendation or action, oldest first, "
        f"and its state. {POINT_HELP} Only the events the state is made of are printed then.",
    )
    add_arguments(history_parser)
    history_parser.set_defaults(run=history)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="the id of a meeting, recommendation or action")
    parser.add_argument(
        "--as-of", type=DAY, help="as it stood on this day, e.g. 2023-12-15 (effective time)"
    )
    recorded = parser.add_mutually_exclusive_group()
    recorded.add_argument(
        "--known-at",
        type=MOMENT,
        help="only what was recorded by this time, e.g. 2023-12-04T10:30:00+00:00",
    )
    recorded.add_argument("--at", type=MOMENT, help="the same as --known-at (its older name)")
    recorded.add_argument("--version", type=VERSION, help="only the events up to this version")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)


def _read(args: argparse.Namespace, with_events: bool) -> tuple[AsAt, list[LogEntry]]:
    settings = load_settings()
    try:
        aggregate_id = UUID(args.id)
    except ValueError:
        raise CliError(f"{quoted(args.id)} is not an id", ExitCode.NOT_FOUND) from None
    as_of: date | None = args.as_of
    known_at: datetime | None = args.known_at or args.at
    query = StateQuery(aggregate_id, version=args.version, as_of=as_of, known_at=known_at)
    with open_services(settings) as services:
        user = asking(services.users, args, HistoryQuery)
        queries = reading(services, True, catch_up=False)
        try:
            shown = queries.as_at(user.actor, query)
            events = (
                queries.history(user.actor, HistoryQuery(aggregate_id)).events
                if with_events
                else []
            )
        except NotThen:
            raise
        except NotFound:
            when = " (at that point)" if not query.is_now else ""
            raise CliError(
                f"no meeting, recommendation or action {aggregate_id}{when}", ExitCode.NOT_FOUND
            ) from None
    return shown, [e for e in events if e.version in shown.versions]


def _say_state(shown: AsAt, args: argparse.Namespace) -> None:
    point = [
        f"as it stood on {args.as_of.isoformat()}" if args.as_of else "",
        f"as known at {(args.known_at or args.at).isoformat()}" if args.known_at or args.at else "",
        f"as known at version {args.version}" if args.version else "",
    ]
    said = ", ".join(p for p in point if p)
    if said:
        say(f"State {said} (version {shown.state.version}):")
    else:
        say(f"State at version {shown.state.version}:")
    for line in field_lines(shown.state.model_dump(mode="json")):
        say(line, markup=False)


def history(args: argparse.Namespace) -> int:
    shown, entries = _read(args, with_events=True)
    if args.json:
        print_json(
            {
                "state": shown.state.model_dump(mode="json"),
                "events": [e.model_dump(mode="json") for e in entries],
            }
        )
        return 0
    kind = entries[0].aggregate_type if entries else "aggregate"
    print_table(
        f"History of {kind} {shown.state.id}",
        ["#", "v", "event", "recorded at", "effective", "by", "data"],
        (
            (
                e.position,
                e.version,
                e.type.partition(".")[2],
                f"{e.recorded_at:%Y-%m-%d %H:%M:%S}",
                e.effective.isoformat() if e.effective else "",
                actor(e.actor),
                readable(readable_data(e)),
            )
            for e in entries
        ),
    )
    _say_state(shown, args)
    return 0


def show(args: argparse.Namespace) -> int:
    shown, _ = _read(args, with_events=False)
    if args.json:
        print_json(shown.state.model_dump(mode="json"))
        return 0
    _say_state(shown, args)
    return 0
