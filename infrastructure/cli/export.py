"""``actiontrail export``: every read model as a CSV file, for BI tools and board packs."""

import argparse
from pathlib import Path

from application.queries import ExportQuery
from infrastructure.bootstrap import Services
from infrastructure.cli.arguments import DAY
from infrastructure.cli.context import (
    add_token_option,
    asking,
    load_settings,
    open_services,
)
from infrastructure.cli.output import CliError, ExitCode, print_json, progress_bar, say
from infrastructure.cli.reading import reading
from infrastructure.presentation.export import export_tables
from infrastructure.storage.users import User


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "export",
        description="Write overdue actions, attendance compliance, meeting timeliness, record "
        "quality (every audit), response histories (every recommendation) and the audit log "
        "as CSV files into a directory.",
    )
    parser.add_argument("--dir", type=Path, default=Path("actiontrail-export"), help="where to")
    parser.add_argument("--as-of", type=DAY, help="overdue as of (default today)")
    parser.add_argument("--from", dest="from_date", type=DAY, help="period start")
    parser.add_argument("--to", dest="to_date", type=DAY, help="period end")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=export)


def export(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        user = asking(services.users, args, ExportQuery)
        return _export(services, user, args)


def _export(services: Services, user: User, args: argparse.Namespace) -> int:
    query = ExportQuery(args.from_date, args.to_date, as_of=args.as_of)
    tables = export_tables(reading(services, args.json), user.actor, query)
    try:
        args.dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"cannot write to {args.dir}: {error}", ExitCode.USAGE) from None
    written: dict[str, int] = {}
    with progress_bar(args.json) as bar:
        task = bar.add_task("exporting", total=len(tables))
        for table in tables:
            rows = table.rows()
            (args.dir / f"{table.name}.csv").write_text(table.csv(rows), encoding="utf-8")
            written[table.name] = len(rows)
            bar.advance(task)
    if args.json:
        print_json({"dir": str(args.dir), "files": {f"{n}.csv": c for n, c in written.items()}})
    else:
        say(f"Wrote {len(written)} CSV files to {args.dir}:")
        for name, count in written.items():
            say(f"  {name}.csv: {count} rows")
    return 0
