"""Import of meetings, recommendations and actions from JSON, and of meetings from CSV.

The format is documented in ``docs/import-format.md``; its rows are the bodies of the commands
they become (``import_format``). The importer plans, the application executes: every row is
validated first, its shape and then its commands, which run on an application held in memory
(``infrastructure.storage.memory_store``) with every check ``ActionTrail.execute`` makes. Nothing is
written unless every row is valid, or the caller chose to skip the invalid ones. Then the
file is written in one transaction: all of it or, if a row is refused or the import is killed,
none of it. A file none of whose records is stored yet is written as rehearsed (the events its
rows made in memory, which running them against the log would make again); otherwise every
row's commands run against what is stored (``ActionTrail.execute_all``). Each command's id
derives from the row's ``ref``, so importing the same file again (as the same user) returns the
first answers and writes nothing.
"""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from pydantic import BaseModel, ValidationError

from application.batch import CommandBatch, Staged
from application.errors import ApplicationError
from application.service import ActionTrail
from domain.errors import DomainError
from domain.events import TrailAggregate
from domain.text import quoted
from domain.values import Actor
from infrastructure.importing.csv_rows import CsvRow, column_of, read_meetings_csv
from infrastructure.importing.format import SECTIONS, Builder, Plan, Section
from infrastructure.importing.source import ImportFileError as ImportFileError
from infrastructure.importing.source import load_json, read_text

FORMAT = "actiontrail-import/1"
#: Commands (row steps: a creation, an invitation, an attendance...) one part of an import
#: holds, checked and written as one (``ACTIONTRAIL_IMPORT_PART_COMMANDS``).
MAX_COMMANDS = 200_000


# What an import finds and does.


@dataclass(frozen=True)
class RowError:
    section: str
    row: int
    ref: str | None
    field: str
    message: str

    def __str__(self) -> str:
        ref = f" ({self.ref})" if self.ref else ""
        return f"{self.section} row {self.row}{ref}, {self.field}: {self.message}"


@dataclass
class ParsedRow:
    section: Section
    row: int
    ref: str
    plan: Plan
    #: What the rehearsal wrote (its events, in order), and whether its commands created the
    #: row's first aggregate; None until rehearsed, or when the rehearsal read stored records.
    rehearsed: "Rehearsed | None" = None
    #: What its commands' answers said besides (a back-dated change that left the current
    #: state as it was): the field of the row, and the note.
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Rehearsed:
    events: list[TrailAggregate.Event]
    new: bool

    def aggregate_ids(self) -> set[UUID]:
        return {event.originator_id for event in self.events}


@dataclass
class Parsed:
    """A file read and checked: the valid rows, and what is wrong with the others."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Outcome:
    """What an import wrote: new rows per section, and rows already imported before."""

    created: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    events_written: int = 0
    skipped: list[RowError] = field(default_factory=list)


# Reading files.


def read_file(path: Path) -> Iterator[tuple[Section, int, Any]]:
    """(section, row number, raw row) of a JSON or CSV file, chosen by its extension."""
    text = read_text(path)
    if path.suffix.lower() == ".csv":
        return read_meetings_csv(text)
    return read_json(text)


def read_json(text: str) -> Iterator[tuple[Section, int, Any]]:
    document = load_json(text)
    if not isinstance(document, dict):
        raise ImportFileError(
            f"the file must hold a JSON object with a 'format' member, not {_json_type(document)}"
        )
    if document.get("format") != FORMAT:
        raise ImportFileError(
            f"the 'format' member must be {FORMAT!r} (found {quoted(document.get('format'))})"
        )
    unknown = sorted(set(document) - {"format", "title", "notes", *SECTIONS})
    if unknown:
        names = ", ".join(quoted(name, 30) for name in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ImportFileError(f"unknown members {names}{more}; see docs/import-format.md")
    return _json_rows(document)


def _json_type(value: Any) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "true or false",
        type(None): "null",
    }
    return names.get(type(value), "a number")


def _json_rows(document: dict[str, Any]) -> Iterator[tuple[Section, int, Any]]:
    for section in SECTIONS:
        rows = document.get(section, [])
        if not isinstance(rows, list):
            raise ImportFileError(f"'{section}' must be an array of rows, not {_json_type(rows)}")
        for number, raw in enumerate(rows, 1):
            yield section, number, raw


# Checking.


def parse(rows: Iterator[tuple[Section, int, Any]], actor: Actor, rehearsal: ActionTrail) -> Parsed:
    """Validate every row's shape, then run its commands on ``rehearsal``, an application held
    in memory (``infrastructure.storage.memory_store.build_memory_application``), writing nothing.

    Every problem of a row's shape is listed; a row of a valid shape is rehearsed, and the
    first rule its commands break is listed (the commands after it depend on it). A file of
    more than ``MAX_COMMANDS`` commands is refused as a whole (``parse_parts`` takes it in
    parts).
    """
    parts = parse_parts(rows, actor, lambda: rehearsal, MAX_COMMANDS)
    parsed = next(parts)
    for _ in parts:
        raise ImportFileError(
            f"the file holds more than {MAX_COMMANDS:,} commands; split it into smaller files"
        )
    return parsed


def parse_parts(
    rows: Iterator[tuple[Section, int, Any]],
    actor: Actor,
    rehearsal: Callable[[], ActionTrail],
    limit: int,
) -> Iterator[Parsed]:
    """``parse`` in parts of at most ``limit`` commands (a row is never split; a row of more
    stands alone), each rehearsed on an application of its own (``rehearsal()``), so that only
    one part is held in memory at a time. A ref repeated anywhere in the file is an error."""
    parsed, app, commands = Parsed(), rehearsal(), 0
    seen: dict[tuple[str, str], int] = {}
    for section, number, raw in rows:
        checked = _check_shape(section, number, raw)
        if isinstance(checked, list):
            parsed.errors.extend(checked)
            continue
        ref = getattr(checked, "ref")  # noqa: B009
        if (section, ref) in seen:
            parsed.errors.append(
                RowError(section, number, ref, "ref", f"repeats row {seen[(section, ref)]}'s ref")
            )
            continue
        seen[(section, ref)] = number
        plan = SECTIONS[section].plan(checked)
        if commands and commands + plan.command_count() > limit:
            yield parsed
            parsed, app, commands = Parsed(), rehearsal(), 0
        commands += plan.command_count()
        row = ParsedRow(section, number, ref, plan)
        problem = rehearse(app, actor, row)
        if problem:
            parsed.errors.append(_named_for(raw, problem))
            continue
        parsed.rows.append(row)
    yield parsed


def _check_shape(section: Section, number: int, raw: Any) -> BaseModel | list[RowError]:
    """A row as its section's model, or every problem of its shape (its CSV values', then its
    fields', a field whose CSV value could not be read named once)."""
    problems: list[RowError] = []
    values = raw
    ref = _ref_of(raw)
    if isinstance(raw, CsvRow):
        problems = [RowError(section, number, ref, p.column, str(p)) for p in raw.problems]
        if raw.row is None:
            return problems
        values = raw.row
    try:
        model = SECTIONS[section].model.model_validate(values)
    except ValidationError as error:
        named = {problem.field for problem in problems}
        found = (
            _named_for(raw, RowError(section, number, ref, _location(e["loc"]), e["msg"]))
            for e in error.errors()
        )
        problems.extend(problem for problem in found if problem.field not in named)
    else:
        if not problems:
            return model
    return problems


def _named_for(raw: Any, error: RowError) -> RowError:
    """An error as the file names its field: the column of a CSV row."""
    if not isinstance(raw, CsvRow):
        return error
    column = column_of(error.field)
    if column == error.field:
        return error
    return replace(error, field=column, message=f"{error.message} (as {error.field})")


def _ref_of(raw: Any) -> str | None:
    ref = raw.ref if isinstance(raw, CsvRow) else raw.get("ref") if isinstance(raw, dict) else None
    return ref[:100] if isinstance(ref, str) else None


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "row"


def rehearse(rehearsal: ActionTrail, actor: Actor, row: ParsedRow) -> RowError | None:
    """Run a row's commands as one batch, left unsaved: the first rule they break, if any.

    The events of a row whose commands found nothing stored are kept (``row.rehearsed``):
    ``write`` saves them as they are when what they touch is still not stored.
    """
    batch = CommandBatch(rehearsal, actor)
    try:
        created = _run_row(batch, row)
    except RowRefused as refused:
        return refused.error
    row.rehearsed = None if batch.read_the_log else Rehearsed(batch.pending, created.new)
    return None


def _message(error: DomainError | ApplicationError | ValidationError) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{_location(e['loc'])}: {e['msg']}" for e in error.errors())
    return str(error)


# Writing.


class RowRefused(Exception):
    """A row refused by a rule of what is stored (e.g. the meeting was cancelled before)."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def command_id(section: str, ref: str, step: str) -> str:
    digest = hashlib.sha256(f"{section}\n{ref}\n{step}".encode()).hexdigest()[:32]
    return f"import-{digest}"


def write(
    trail: ActionTrail,
    actor: Actor,
    rows: list[ParsedRow],
    on_row: Callable[[ParsedRow], None] = lambda _: None,
    on_save: Callable[[int], None] = lambda _: None,
) -> Outcome:
    """Write every row's commands in one transaction; a row imported before writes nothing.

    ``on_save`` gets the number of events about to be written. Raises ``RowRefused``, with
    nothing written, when a row breaks a rule of what is stored.

    When no row's records are stored yet (a new file: no aggregate its rehearsal made is in
    the log, and no two rows made the same one), running the commands again against the log
    would make the rehearsal's events: those are saved, in one transaction. Otherwise (the
    file imported before, in part or in full) every row's commands run again against what is
    stored (``ActionTrail.execute_all``).
    """
    rehearsed = _rehearsed_events(trail, rows)
    if rehearsed is not None:
        try:
            return _save_rehearsed(trail, rows, rehearsed, on_row, on_save)
        except IntegrityError:
            pass  # another writer stored some of them meanwhile: run the commands again
    outcome = Outcome()

    def work(batch: CommandBatch) -> None:
        nonlocal outcome
        outcome = Outcome()
        for row in rows:
            created = _run_row(batch, row)
            bucket = outcome.created if created.new else outcome.unchanged
            bucket[row.section] = bucket.get(row.section, 0) + 1
            on_row(row)
        on_save(batch.pending_events)

    outcome.events_written = trail.execute_all(work, actor).events_written
    return outcome


def _rehearsed_events(
    trail: ActionTrail, rows: list[ParsedRow]
) -> list[TrailAggregate.Event] | None:
    """Every row's rehearsed events, in order, when none of the records they touch is stored
    and no two rows touch the same record; else None."""
    events: list[TrailAggregate.Event] = []
    touched: set[UUID] = set()
    for row in rows:
        if row.rehearsed is None:
            return None
        ids = row.rehearsed.aggregate_ids()
        if not touched.isdisjoint(ids):
            return None
        touched |= ids
        events.extend(row.rehearsed.events)
    if trail.stored_among(touched):
        return None
    return events


def _save_rehearsed(
    trail: ActionTrail,
    rows: list[ParsedRow],
    events: list[TrailAggregate.Event],
    on_row: Callable[[ParsedRow], None],
    on_save: Callable[[int], None],
) -> Outcome:
    outcome = Outcome()
    for row in rows:
        assert row.rehearsed is not None
        bucket = outcome.created if row.rehearsed.new else outcome.unchanged
        bucket[row.section] = bucket.get(row.section, 0) + 1
        on_row(row)
    on_save(len(events))
    outcome.events_written = len(trail.save(*events)) if events else 0
    return outcome


def _run_row(batch: CommandBatch, row: ParsedRow) -> Staged:
    """Run a row's commands in ``batch``: what its plan creates, staged."""
    return _RowRun(batch, row).plan(row.plan, None, "", "")


@dataclass(frozen=True)
class _RowRun:
    """One row's commands run in one batch."""

    batch: CommandBatch
    row: ParsedRow

    def plan(self, plan: Plan, parent: UUID | None, path: str, field_prefix: str) -> Staged:
        """Run one plan's commands; ``path`` names them for their ids, ``field_prefix`` for
        errors."""
        label = f"{path}{plan.label}"
        created = self.step(plan.create, parent, label, field_prefix.rstrip(".") or "row")
        for step in plan.steps:
            if isinstance(step, Plan):
                self.plan(step, created.id, f"{label}/", f"{field_prefix}{step.label}.")
                continue
            name, build = step
            self.step(build, created.id, f"{label}/{name}", f"{field_prefix}{name}")
        return created

    def step(self, build: Builder, target: UUID | None, step: str, field: str) -> Staged:
        """Build one command for its target, with its id, and run it; a refusal is
        ``RowRefused``. A note of its answer is kept with the row (once, whichever run made
        it)."""
        row = self.row
        try:
            staged = self.batch.run(build(target, command_id(row.section, row.ref, step)))
        except (DomainError, ApplicationError, ValidationError) as error:
            message = _message(error)
            raise RowRefused(RowError(row.section, row.row, row.ref, field, message)) from error
        if staged.note is not None and (field, staged.note) not in row.notes:
            row.notes.append((field, staged.note))
        return staged
