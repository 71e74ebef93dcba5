"""``actiontrail import FILE``: meetings, recommendations and actions from JSON or CSV."""

import argparse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from application.permissions import Task
from application.service import ActionTrail
from infrastructure.cli.context import (
    add_token_option,
    load_settings,
    open_services,
    signed_in,
)
from infrastructure.cli.interrupts import Deferred, deferring
from infrastructure.cli.output import (
    CliError,
    ExitCode,
    fail,
    print_json,
    print_table,
    progress_bar,
    say,
)
from infrastructure.importing import importer
from infrastructure.presentation.wording import counted, counts
from infrastructure.storage.memory_store import build_memory_application
from infrastructure.storage.users import User


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
        user = signed_in(services.users, args, Task.IMPORT)
        return import_file(
            services.trail,
            lambda: build_memory_application(settings),
            user,
            args.file,
            args,
            settings.import_part_commands,
        )


def import_file(  # noqa: PLR0913 - one import's context, named at its one caller
    trail: ActionTrail,
    rehearsal: Callable[[], ActionTrail],
    user: User,
    path: Path,
    args: argparse.Namespace,
    part_commands: int = importer.MAX_COMMANDS,
) -> int:
    """Check the file on in-memory applications (``rehearsal()``), then write it to
    ``trail``; the exit code says whether anything was refused. A dry run stops after the
    check.

    A file of more than ``part_commands`` commands is checked whole, then written in parts of
    at most that many, each in one transaction (all or nothing), so that memory holds one part
    at a time; the output says so. Ctrl-C before the first save stops the import with nothing
    written (exit 130, saying so: ``COMMANDS``); Ctrl-C once saving began takes effect after
    that part is saved, and says what was written."""
    with deferring() as saving:
        try:
            checked = _check(path, user, rehearsal, part_commands)
            if checked.errors and not args.skip_invalid:
                _report_errors(checked.errors, args.json, written=False)
                return ExitCode.INVALID
            outcome = importer.Outcome(skipped=checked.errors)
            if not args.dry_run:
                outcome = _write_parts(trail, user, path, checked, args.json, saving)
                outcome.skipped = checked.errors
        except importer.ImportFileError as error:
            raise CliError(f"{path}: {error}", ExitCode.INVALID) from None
        except PartRefused as refused:
            if args.json:
                _report_errors([refused.error], as_json=True, written=refused.part > 1)
            else:
                fail(f"{refused.error}; {refused.written}")
            return ExitCode.INTERRUPTED if saving.interrupted else ExitCode.CONFLICT
        # Still held: a Ctrl-C while the outcome is told must not say that nothing was written.
        _report_outcome(path, checked, outcome, args)
        if saving.interrupted:
            fail(f"interrupted while {path} was being written: {_written(checked, outcome)}")
            return ExitCode.INTERRUPTED
        return ExitCode.OK


@dataclass
class Checked:
    """A file checked: its parts (kept only when it has one), valid rows, errors and notes."""

    path: Path
    read_parts: Callable[[], Iterator[importer.Parsed]]
    part_commands: int
    parts: int = 0
    only: importer.Parsed | None = None
    valid_rows: int = 0
    errors: list[importer.RowError] = field(default_factory=list)
    notes: list[tuple[importer.ParsedRow, str, str]] = field(default_factory=list)


def _check(
    path: Path, user: User, rehearsal: Callable[[], ActionTrail], part_commands: int
) -> Checked:
    """Every row of the file checked, a part at a time."""

    def parts() -> Iterator[importer.Parsed]:
        rows = importer.read_file(path)
        return importer.parse_parts(rows, user.actor, rehearsal, part_commands)

    checked = Checked(path, parts, part_commands)
    for part in parts():
        checked.parts += 1
        checked.only = part if checked.parts == 1 else None
        checked.valid_rows += len(part.rows)
        checked.errors += part.errors
        checked.notes += _notes(part)
    return checked


class PartRefused(Exception):
    """A row of part ``part`` refused by a rule of what is stored; parts before it written."""

    def __init__(self, error: importer.RowError, part: int, written: str) -> None:
        super().__init__(str(error))
        self.error, self.part, self.written = error, part, written


def _write_parts(  # noqa: PLR0913 - one import's context, named at its one caller
    trail: ActionTrail,
    user: User,
    path: Path,
    checked: Checked,
    quiet: bool,
    saving: Deferred,
) -> importer.Outcome:
    """The file's parts written in turn, each in one transaction; the parts' outcomes added."""
    parts = iter([checked.only]) if checked.only is not None else checked.read_parts()
    total = importer.Outcome()
    for number, part in enumerate(parts, 1):
        try:
            outcome = _write(trail, user, path, part.rows, quiet, saving.hold)
        except importer.RowRefused as refused:
            written = _refused_part(checked, number, total)
            raise PartRefused(refused.error, number, written) from None
        for mine, theirs in (
            (total.created, outcome.created),
            (total.unchanged, outcome.unchanged),
        ):
            for section, n in theirs.items():
                mine[section] = mine.get(section, 0) + n
        total.events_written += outcome.events_written
        if saving.interrupted:
            break
    return total


def _refused_part(checked: Checked, number: int, written: importer.Outcome) -> str:
    if checked.parts == 1:
        return "nothing was written"
    return (
        f"part {number} of {checked.parts} and those after it were not written; the parts "
        f"before it were ({counted(written.events_written, 'event')}): once the row is "
        "fixed, importing the file again writes the rest"
    )


def _written(checked: Checked, outcome: importer.Outcome) -> str:
    """What an interrupted import wrote, in words."""
    if checked.parts == 1:
        return "it was written whole (see above)"
    return (
        f"the parts saved are written ({counted(outcome.events_written, 'event')}, see above); "
        "importing the file again writes the rest"
    )


def _write(  # noqa: PLR0913 - one import's context, named at its one caller
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
    path: Path, checked: Checked, outcome: importer.Outcome, args: argparse.Namespace
) -> None:
    if args.json:
        print_json(
            {
                "file": str(path),
                "dry_run": args.dry_run,
                "valid_rows": checked.valid_rows,
                "parts": checked.parts,
                "created": outcome.created,
                "unchanged": outcome.unchanged,
                "events_written": outcome.events_written,
                "skipped": [e.__dict__ for e in outcome.skipped],
                "notes": [
                    {"section": r.section, "row": r.row, "ref": r.ref, "field": f, "note": n}
                    for r, f, n in checked.notes
                ],
            }
        )
        return
    if args.dry_run:
        say(f"{path}: {counted(checked.valid_rows, 'valid row')}; nothing written (dry run).")
    else:
        created = counts(outcome.created) or "nothing new"
        events = counted(outcome.events_written, "event")
        say(f"{path}: created {created}; {events} written.")
        if outcome.unchanged:
            again = counts(outcome.unchanged)
            say(f"Already imported before, unchanged: {again}.")
    if checked.parts > 1:
        say(
            f"It holds more than {checked.part_commands:,} commands "
            "(ACTIONTRAIL_IMPORT_PART_COMMANDS): it was checked whole, then written in "
            f"{checked.parts} parts of at most that many, each all or nothing."
        )
    if checked.notes:
        say(f"{counted(len(checked.notes), 'note')}:")
        print_table(
            None,
            ["section", "row", "ref", "field", "note"],
            ((r.section, r.row, r.ref, f, n) for r, f, n in checked.notes),
        )
    if outcome.skipped:
        _report_errors(outcome.skipped, False, written=True)


def _notes(parsed: importer.Parsed) -> list[tuple[importer.ParsedRow, str, str]]:
    """What the answers of the rows' commands said besides, row by row."""
    return [(row, field, note) for row in parsed.rows for field, note in row.notes]
