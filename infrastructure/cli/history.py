"""``actiontrail history ID``: who changed what, when and why; and past states."""

import argparse
from datetime import datetime
from uuid import UUID

from application.errors import NotFound
from application.queries import HistoryQuery, StateQuery
from infrastructure.cli.arguments import MOMENT, VERSION
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
from infrastructure.presentation.names import readable_data


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "history",
        description="Print every event of one aggregate, oldest first, and its state. With "
        "--version N or --at TIMESTAMP, only what was recorded up to then, and the state then.",
    )
    parser.add_argument("id", help="the id of a meeting, recommendation or action")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--version", type=VERSION, help="as at this version")
    when.add_argument(
        "--at", type=MOMENT, help="as recorded at this time, e.g. 2023-12-04T10:30:00+00:00"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=history)


def history(args: argparse.Namespace) -> int:
    settings = load_settings()
    at: datetime | None = args.at
    try:
        aggregate_id = UUID(args.id)
    except ValueError:
        raise CliError(f"{args.id!r} is not an id", ExitCode.NOT_FOUND) from None
    with open_services(settings) as services:
        user = asking(services.users, args, HistoryQuery)
        queries = reading(services, True, catch_up=False)
        try:
            history = queries.history(user.actor, HistoryQuery(aggregate_id))
            state = queries.state(user.actor, StateQuery(aggregate_id, version=args.version, at=at))
        except NotFound:
            when = " (at that point)" if args.version is not None or at is not None else ""
            raise CliError(
                f"no meeting, recommendation or action {aggregate_id}{when}", ExitCode.NOT_FOUND
            ) from None
    entries = [e for e in history.events if e.version <= state.version]
    if args.json:
        print_json(
            {
                "state": state.model_dump(mode="json"),
                "events": [e.model_dump(mode="json") for e in entries],
            }
        )
        return 0
    kind = entries[0].aggregate_type if entries else "aggregate"
    print_table(
        f"History of {kind} {aggregate_id}",
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
    say(f"State at version {state.version}:")
    for line in field_lines(state.model_dump(mode="json")):
        say(line, markup=False)
    return 0
