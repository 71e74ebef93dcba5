"""``actiontrail export``: every read model as a CSV file, for BI tools and board packs."""

import argparse
from pathlib import Path

from application.queries import ExportQuery
from infrastructure.cli.context import add_token_option
from infrastructure.cli.output import CliError, ExitCode, print_json, progress_bar, say
from infrastructure.cli.query_options import add_query_options, query_of
from infrastructure.cli.reading import asked_by, reading
from infrastructure.presentation.export import Table


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "export",
        description="Write overdue actions, attendance compliance, meeting timeliness, record "
        "quality (every audit), response histories (every recommendation) and the audit log "
        "as CSV files into a directory.",
    )
    add_query_options(parser, ExportQuery)
    parser.add_argument("--dir", type=Path, default=Path("actiontrail-export"), help="where to")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=export)


def export(args: argparse.Namespace) -> int:
    with asked_by(args, ExportQuery) as (services, user):
        query = query_of(ExportQuery, args)
        tables: list[Table] = reading(services, args.json).ask(user.actor, query)
        return _export(tables, args)


def _export(tables: list[Table], args: argparse.Namespace) -> int:
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
