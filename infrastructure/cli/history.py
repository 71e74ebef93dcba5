"""``actiontrail history ID`` (and ``show ID``, ``infrastructure.cli.show``): a record's events
and its state, now or as it stood on a day and/or as known at a time."""

import argparse
from dataclasses import replace
from uuid import UUID

from application.errors import NotFound, NotThen
from application.queries import HistoryQuery, TimelineQuery
from domain.text import quoted
from infrastructure.cli.context import add_token_option
from infrastructure.cli.fields import field_lines, readable
from infrastructure.cli.output import CliError, ExitCode, print_json, print_table, say
from infrastructure.cli.people import actor
from infrastructure.cli.query_options import add_query_options, query_of
from infrastructure.cli.reading import asked_by, reading
from infrastructure.presentation.as_at import AsAt
from infrastructure.presentation.names import readable_data
from infrastructure.presentation.states import History
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
    """The state query's declared fields (the id read as text: a malformed one is not found,
    exit 5, as the API answers 404), ``--json`` and ``--token``."""
    add_query_options(parser, TimelineQuery, types={"aggregate_id": str})
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)


def _record_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise CliError(f"{quoted(text)} is not an id", ExitCode.NOT_FOUND) from None


def _read(args: argparse.Namespace, with_events: bool) -> tuple[AsAt, list[LogEntry]]:
    aggregate_id = _record_id(args.aggregate_id)
    query = replace(query_of(TimelineQuery, args), aggregate_id=aggregate_id)
    with asked_by(args, HistoryQuery) as (services, user):
        queries = reading(services, True, catch_up=False)
        try:
            shown: AsAt = queries.ask(user.actor, query)
            history: History | None = (
                queries.ask(user.actor, HistoryQuery(aggregate_id)) if with_events else None
            )
        except NotThen:
            raise
        except NotFound:
            when = " (at that point)" if not query.is_now else ""
            raise CliError(
                f"no meeting, recommendation or action {aggregate_id}{when}", ExitCode.NOT_FOUND
            ) from None
    events = history.events if history is not None else []
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
