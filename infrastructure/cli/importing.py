"""``actiontrail import FILE``: meetings, recommendations and actions from JSON or CSV."""

import argparse
from collections.abc import Callable
from pathlib import Path

from application.service import ActionTrail
from domain.codes import Role
from infrastructure import importer
from infrastructure.cli.context import (
    add_token_option,
    load_settings,
    open_services,
    signed_in,
)
from infrastructure.cli.interrupts import Deferred
from infrastructure.cli.output import (
    CliError,
    ExitCode,
    fail,
    print_json,
    print_table,
    progress_bar,
    say,
)
from infrastructure.memory_store import build_memory_application
from infrastructure.presentation.wording import counted, counts
from infrastructure.users import User


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "import",
        description="Import a file in the format of docs/import-format.md (.json), or meetings "
        "as a CSV export with UK dates (.csv). Every row is checked first; nothing is written "
        "if any row is invalid, unless --skip-invalid is given. The file is written in one "
        "transaction, all or nothing, even if the import is killed. Importing the same file "
        "again writes nothing new.",
    )
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--skip-invalid", action="store_true", help="write the valid rows, list the others"
    )
    parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        user = signed_in(services.users, args, Role.GOVERNANCE)
        return import_file(
            services.trail, build_memory_application(settings), user, args.file, args
        )


def import_file(
    trail: ActionTrail,
    rehearsal: ActionTrail,
    user: User,
    path: Path,
    args: argparse.Namespace,
) -> int:
    """Check the file on ``rehearsal`` (in memory), then write it to ``trail``; the exit code
    says whether anything was refused. A dry run stops after the check.

    Ctrl-C before the file's one transaction is saved stops the import with nothing written
    (exit 130, saying so: ``COMMANDS``); Ctrl-C while it is saved takes effect once it is,
    and says so."""
    with Deferred() as saving:
        try:
            parsed = importer.parse(importer.read_file(path), user.actor, rehearsal)
            if parsed.errors and not args.skip_invalid:
                _report_errors(parsed.errors, args.json, written=False)
                return ExitCode.INVALID
            outcome = importer.Outcome(skipped=parsed.errors)
            if not args.dry_run:
                outcome = _write(trail, user, path, parsed.rows, args.json, saving.hold)
                outcome.skipped = parsed.errors
        except importer.ImportFileError as error:
            raise CliError(f"{path}: {error}", ExitCode.INVALID) from None
        except importer.RowRefused as refused:
            if args.json:
                _report_errors([refused.error], as_json=True, written=False)
            else:
                fail(f"{refused.error}; nothing was written")
            return ExitCode.INTERRUPTED if saving.interrupted else ExitCode.CONFLICT
    _report_outcome(path, parsed, outcome, args)
    if saving.interrupted:
        fail(f"interrupted while {path} was being written: it was written whole (see above)")
        return ExitCode.INTERRUPTED
    return ExitCode.OK


def _write(
    trail: ActionTrail,
    user: User,
    path: Path,
    rows: list[importer.ParsedRow],
    quiet: bool,
    before_save: Callable[[], None],
) -> importer.Outcome:
    """Every row in one transaction; the bar counts the rows, then the write as one step.
    ``before_save`` is called when the events are about to be saved."""
    with progress_bar(quiet) as bar:
        task = bar.add_task(f"importing {path.name}", total=len(rows) + 1)

        def saving(events: int) -> None:
            before_save()
            bar.update(task, description=f"writing {events} events of {path.name}")

        outcome = importer.write(
            trail, user.actor, rows, on_row=lambda _: bar.advance(task), on_save=saving
        )
        bar.advance(task)
    return outcome


def _report_errors(errors: list[importer.RowError], as_json: bool, written: bool) -> None:
    if as_json:
        print_json({"written": written, "errors": [e.__dict__ for e in errors]})
        return
    rows = len({(e.section, e.row) for e in errors})
    heading = (
        f"Skipped {counted(rows, 'invalid row')}"
        if written
        else "Invalid rows (nothing was written)"
    )
    say(f"{heading}, {counted(len(errors), 'problem')}:")
    print_table(
        None,
        ["section", "row", "ref", "field", "problem"],
        ((e.section, e.row, e.ref, e.field, e.message) for e in errors),
    )


def _report_outcome(
    path: Path, parsed: importer.Parsed, outcome: importer.Outcome, args: argparse.Namespace
) -> None:
    if args.json:
        print_json(
            {
                "file": str(path),
                "dry_run": args.dry_run,
                "valid_rows": len(parsed.rows),
                "created": outcome.created,
                "unchanged": outcome.unchanged,
                "events_written": outcome.events_written,
                "skipped": [e.__dict__ for e in outcome.skipped],
                "notes": [
                    {"section": r.section, "row": r.row, "ref": r.ref, "field": f, "note": n}
                    for r, f, n in _notes(parsed)
                ],
            }
        )
        return
    if args.dry_run:
        say(f"{path}: {counted(len(parsed.rows), 'valid row')}; nothing written (dry run).")
    else:
        created = counts(outcome.created) or "nothing new"
        events = counted(outcome.events_written, "event")
        say(f"{path}: created {created}; {events} written.")
        if outcome.unchanged:
            again = counts(outcome.unchanged)
            say(f"Already imported before, unchanged: {again}.")
    notes = _notes(parsed)
    if notes:
        say(f"{counted(len(notes), 'note')}:")
        print_table(
            None,
            ["section", "row", "ref", "field", "note"],
            ((r.section, r.row, r.ref, f, n) for r, f, n in notes),
        )
    if outcome.skipped:
        _report_errors(outcome.skipped, False, written=True)


def _notes(parsed: importer.Parsed) -> list[tuple[importer.ParsedRow, str, str]]:
    """What the answers of the rows' commands said besides, row by row."""
    return [(row, field, note) for row in parsed.rows for field, note in row.notes]
