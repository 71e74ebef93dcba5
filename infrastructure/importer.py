"""Import of meetings, recommendations and actions from JSON, and of meetings from CSV.

The format is documented in ``docs/import-format.md``. Every row is validated first, against
the row's shape and then against the domain's rules (each row's commands are played on
in-memory aggregates); nothing is written unless every row is valid, or the caller chose to skip
the invalid ones. Then every row's commands run against what is stored and are written in one
transaction (``ActionTrail.execute_all``): all of the file or, if a row is refused or the
import is killed, none of it. Each command's id derives from the row's ``ref``, so importing
the same file again (as the same user) returns the first answers and writes nothing.
"""

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from application import commands as c
from application.batch import CommandBatch, Staged
from application.errors import ApplicationError
from application.handlers import HANDLERS, TARGETS, HandlerContext
from application.inputs import Code, Count, Day, Items, Moment, Number, Text
from application.permissions import authorize_command
from application.service import ActionTrail
from domain.clock import LONDON
from domain.codes import (
    ActionSourceKind,
    AssuranceKind,
    Decision,
    MeetingFormat,
    MeetingKind,
    QualityRating,
    Rag,
    RecommendationStatus,
)
from domain.errors import DomainError
from domain.events import Envelope, TrailAggregate
from domain.reference import ReferenceData
from domain.values import Actor
from infrastructure.import_source import ImportFileError as ImportFileError
from infrastructure.import_source import load_json, preview, read_text

FORMAT = "actiontrail-import/1"
#: Commands (row steps: a creation, an invitation, an attendance...) one import may hold.
MAX_COMMANDS = 200_000


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The JSON format: one model per kind of row and per step inside a row.


class Invitation(Row):
    agency: Code
    role: Code | None = None


class Rescheduling(Row):
    scheduled_for: Moment
    reason: Text


class Reason(Row):
    reason: Text


class DatedReason(Reason):
    effective_on: Day | None = None


class Held(Row):
    held_at: Moment
    format: MeetingFormat


class Attendance(Row):
    agency: Code
    role: Code | None = None
    attended: bool
    note: Text | None = None


class DecisionRow(Row):
    decision: Decision
    rationale: Text


class Progress(Row):
    note: Text


class DueDateRevision(Row):
    due_on: Day
    reason: Text
    effective_on: Day | None = None


class Completion(Row):
    completed_on: Day
    evidence: Text


class AgreedAction(Row):
    """An action agreed at a meeting or for a recommendation, with what happened to it since."""

    agency: Code
    description: Text
    due_on: Day
    owner_role: Code | None = None
    agreed_on: Day | None = None
    progress: Items[Progress] = []
    due_date_revisions: Items[DueDateRevision] = []
    completed: Completion | None = None
    cancelled: DatedReason | None = None


class RecordShared(Row):
    shared_at: Moment
    agencies: Annotated[Items[Code], Field(min_length=1)]


class QualityAssessment(Row):
    rating: QualityRating
    audit_ref: Code
    notes: Text | None = None


class MeetingRow(Row):
    ref: Code
    case_ref: Code
    concern_raised_at: Moment
    kind: MeetingKind
    team: Code
    invitations: Items[Invitation] = []
    rescheduled: Items[Rescheduling] = []
    cancelled: Reason | None = None
    held: Held | None = None
    attendance: Items[Attendance] = []
    decisions: Items[DecisionRow] = []
    actions: Items[AgreedAction] = []
    record_shared: RecordShared | None = None
    quality_assessments: Items[QualityAssessment] = []


class Response(Row):
    text: Text
    dated: Day
    agency: Code | None = None


class Assurance(Row):
    kind: AssuranceKind
    dated: Day
    sample_size: Count
    measures: Items[c.MeasureIn] = []
    summary: Text


class StatusChange(Row):
    status: RecommendationStatus
    rag: Rag | None = None
    reason: Text
    effective_on: Day | None = None


class Closure(Row):
    evidence: Text
    reason: Text
    override: bool = False
    effective_on: Day | None = None


class RecommendationRow(Row):
    ref: Code
    source: c.RecommendationSourceIn
    number: Number
    text: Text
    raised_on: Day
    responses: Items[Response] = []
    actions: Items[AgreedAction] = []
    assurances: Items[Assurance] = []
    status_changes: Items[StatusChange] = []
    closed: Closure | None = None


class ActionSource(Row):
    kind: ActionSourceKind
    ref: Code


class ActionRow(AgreedAction):
    ref: Code
    source: ActionSource


Section = Literal["meetings", "recommendations", "actions"]
ROW_MODELS: dict[Section, type[Row]] = {
    "meetings": MeetingRow,
    "recommendations": RecommendationRow,
    "actions": ActionRow,
}


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
    plan: "Plan"


@dataclass
class Parsed:
    """A file read and checked: the valid rows, and what is wrong with the others."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def invalid_rows(self) -> list[tuple[str, int]]:
        return sorted({(e.section, e.row) for e in self.errors})


@dataclass
class Outcome:
    """What an import wrote: new rows per section, and rows already imported before."""

    created: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    events_written: int = 0
    skipped: list[RowError] = field(default_factory=list)


# Plans: the commands of one row, as functions of the ids they target.

StepFactory = Callable[[UUID], c.Command]


@dataclass
class Plan:
    """One aggregate's commands: how it is created (from its parent's id) and what follows."""

    label: str
    create: Callable[[UUID | None], c.Command]
    steps: list["tuple[str, StepFactory] | Plan"] = field(default_factory=list)

    def command_count(self) -> int:
        return 1 + sum(s.command_count() if isinstance(s, Plan) else 1 for s in self.steps)


def _action_history(plan: Plan, action: AgreedAction) -> None:
    for i, p in enumerate(action.progress, 1):
        plan.steps.append((f"progress[{i}]", _bind(c.NoteProgress, "action_id", note=p.note)))
    for i, r in enumerate(action.due_date_revisions, 1):
        plan.steps.append(
            (
                f"due_date_revisions[{i}]",
                _bind(c.ReviseDueDate, "action_id", **r.model_dump()),
            )
        )
    if action.completed:
        plan.steps.append(
            (
                "completed",
                _bind(c.CompleteAction, "action_id", **action.completed.model_dump()),
            )
        )
    if action.cancelled:
        plan.steps.append(
            ("cancelled", _bind(c.CancelAction, "action_id", **action.cancelled.model_dump()))
        )


def _bind(command: type[c.Command], target: str, **fields: Any) -> StepFactory:
    def build(target_id: UUID) -> c.Command:
        return command(**{target: target_id}, **fields)

    return build


def _agreed_action_plan(
    label: str, command: type[c.Command], parent_field: str, action: AgreedAction
) -> Plan:
    fields = action.model_dump(
        include={"agency", "description", "due_on", "owner_role", "agreed_on"}
    )

    def create(parent_id: UUID | None) -> c.Command:
        return command(**{parent_field: parent_id}, **fields)

    plan = Plan(label, create)
    _action_history(plan, action)
    return plan


def meeting_plan(row: MeetingRow) -> Plan:
    def create(_: UUID | None) -> c.Command:
        return c.RequestMeeting(
            case_ref=row.case_ref,
            concern_raised_at=row.concern_raised_at,
            kind=row.kind,
            team=row.team,
        )

    plan = Plan("meeting", create)
    target = "meeting_id"
    for i, inv in enumerate(row.invitations, 1):
        plan.steps.append((f"invitations[{i}]", _bind(c.InviteAgency, target, **dict(inv))))
    for i, res in enumerate(row.rescheduled, 1):
        plan.steps.append((f"rescheduled[{i}]", _bind(c.RescheduleMeeting, target, **dict(res))))
    if row.cancelled:
        plan.steps.append(("cancelled", _bind(c.CancelMeeting, target, **dict(row.cancelled))))
    if row.held:
        plan.steps.append(("held", _bind(c.HoldMeeting, target, **dict(row.held))))
    for i, att in enumerate(row.attendance, 1):
        plan.steps.append((f"attendance[{i}]", _bind(c.RecordAttendance, target, **dict(att))))
    for i, dec in enumerate(row.decisions, 1):
        plan.steps.append((f"decisions[{i}]", _bind(c.RecordDecision, target, **dict(dec))))
    for i, action in enumerate(row.actions, 1):
        plan.steps.append(
            _agreed_action_plan(f"actions[{i}]", c.AgreeMeetingAction, target, action)
        )
    if row.record_shared:
        plan.steps.append(
            ("record_shared", _bind(c.ShareRecord, target, **dict(row.record_shared)))
        )
    for i, qa in enumerate(row.quality_assessments, 1):
        plan.steps.append(
            (f"quality_assessments[{i}]", _bind(c.AssessRecordQuality, target, **dict(qa)))
        )
    return plan


def recommendation_plan(row: RecommendationRow) -> Plan:
    def create(_: UUID | None) -> c.Command:
        return c.RaiseRecommendation(
            source=row.source, number=row.number, text=row.text, raised_on=row.raised_on
        )

    plan = Plan("recommendation", create)
    target = "recommendation_id"
    for i, resp in enumerate(row.responses, 1):
        plan.steps.append((f"responses[{i}]", _bind(c.RecordResponse, target, **dict(resp))))
    for i, action in enumerate(row.actions, 1):
        plan.steps.append(
            _agreed_action_plan(f"actions[{i}]", c.AgreeRecommendationAction, target, action)
        )
    for i, a in enumerate(row.assurances, 1):
        plan.steps.append((f"assurances[{i}]", _bind(c.RecordAssurance, target, **a.model_dump())))
    for i, s in enumerate(row.status_changes, 1):
        plan.steps.append(
            (f"status_changes[{i}]", _bind(c.ChangeRecommendationStatus, target, **dict(s)))
        )
    if row.closed:
        plan.steps.append(("closed", _bind(c.CloseRecommendation, target, **dict(row.closed))))
    return plan


def action_plan(row: ActionRow) -> Plan:
    def create(_: UUID | None) -> c.Command:
        return c.AssignAction(
            source=c.ActionSourceIn(kind=row.source.kind, ref=row.source.ref),
            agency=row.agency,
            description=row.description,
            due_on=row.due_on,
            owner_role=row.owner_role,
            agreed_on=row.agreed_on,
        )

    plan = Plan("action", create)
    _action_history(plan, row)
    return plan


PLANNERS: dict[Section, Callable[[Any], Plan]] = {
    "meetings": meeting_plan,
    "recommendations": recommendation_plan,
    "actions": action_plan,
}


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
            f"the 'format' member must be {FORMAT!r} (found {preview(document.get('format'))})"
        )
    unknown = sorted(set(document) - {"format", "title", "notes", *ROW_MODELS})
    if unknown:
        names = ", ".join(preview(name, 30) for name in unknown[:5])
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
    for section in ROW_MODELS:
        rows = document.get(section, [])
        if not isinstance(rows, list):
            raise ImportFileError(f"'{section}' must be an array of rows, not {_json_type(rows)}")
        for number, raw in enumerate(rows, 1):
            yield section, number, raw


CSV_COLUMNS = (
    "meeting_ref",
    "case_ref",
    "concern_raised",
    "kind",
    "team",
    "invited",
    "held",
    "format",
    "attended",
    "decisions",
    "rationale",
    "record_shared",
    "shared_with",
    "quality",
    "audit_ref",
    "quality_notes",
)
REQUIRED_CSV_COLUMNS = ("meeting_ref", "case_ref", "concern_raised", "kind", "team")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")


class CsvValueError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _header(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def read_meetings_csv(text: str) -> Iterator[tuple[Section, int, Any]]:
    """Meetings as a case-management system exports them: one row each, UK dates."""
    reader = csv.reader(io.StringIO(text))
    header = next(_csv_lines(reader), None)
    if not header:
        raise ImportFileError("the CSV file has no header line")
    columns = [_header(name) for name in header]
    unknown = [name for name in columns if name not in CSV_COLUMNS]
    missing = [name for name in REQUIRED_CSV_COLUMNS if name not in columns]
    if unknown or missing:
        raise ImportFileError(
            f"CSV columns: unknown {preview(unknown, 200)}, missing {missing}; "
            f"expected {list(CSV_COLUMNS)}"
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise ImportFileError(f"CSV columns named more than once: {repeated}")
    return _csv_rows(reader, columns)


def _csv_lines(reader: Any) -> Iterator[list[str]]:
    """The CSV records, blank lines left out; a record the csv module cannot read is fatal."""
    while True:
        try:
            fields = next(reader, None)
        except csv.Error as error:
            raise ImportFileError(f"CSV line {reader.line_num}: {error}") from None
        if fields is None:
            return
        if fields:
            yield fields


def _csv_rows(reader: Any, columns: list[str]) -> Iterator[tuple[Section, int, Any]]:
    for fields in _csv_lines(reader):
        row_number = reader.line_num
        if len(fields) != len(columns):
            message = f"the line has {len(fields)} fields; the header has {len(columns)}"
            yield "meetings", row_number, CsvValueError("row", message)
            continue
        values = {name: value.strip() for name, value in zip(columns, fields, strict=True)}
        try:
            yield "meetings", row_number, meeting_from_csv(values)
        except CsvValueError as error:
            yield "meetings", row_number, error


def uk_datetime(value: str, column: str) -> datetime:
    """DD/MM/YYYY [HH:MM], London time; never read in US order."""
    match = UK_DATE.match(value)
    if not match:
        raise CsvValueError(column, f"{value!r} is not a date as DD/MM/YYYY or DD/MM/YYYY HH:MM")
    day, month, year, hour, minute = match.groups()
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=LONDON
        )
    except ValueError as error:
        raise CsvValueError(column, f"{value!r} is not a real date ({error})") from None


def _codes(value: str) -> list[tuple[str, str | None]]:
    """'police; health (mash-nurse)' as [('police', None), ('health', 'mash-nurse')]."""
    result = []
    for item in filter(None, (part.strip() for part in value.split(";"))):
        name, _, role = item.partition("(")
        result.append((_code(name), _code(role.rstrip(")")) or None))
    return result


def _code(value: str) -> str:
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def meeting_from_csv(values: dict[str, str]) -> dict[str, Any]:
    """One CSV row as a meeting row of the JSON format."""
    invited = _codes(values.get("invited", ""))
    attended = {agency for agency, _ in _codes(values.get("attended", ""))}
    row: dict[str, Any] = {
        "ref": values["meeting_ref"],
        "case_ref": values["case_ref"],
        "concern_raised_at": uk_datetime(values["concern_raised"], "concern_raised"),
        "kind": _code(values["kind"]),
        "team": values["team"],
        "invitations": [{"agency": a, "role": r} for a, r in invited],
    }
    unknown_attendees = attended - {agency for agency, _ in invited}
    if unknown_attendees:
        raise CsvValueError(
            "attended", f"{sorted(unknown_attendees)} attended but are not in 'invited'"
        )
    if values.get("held"):
        row["held"] = {
            "held_at": uk_datetime(values["held"], "held"),
            "format": _code(values.get("format", "")),
        }
        row["attendance"] = [
            {"agency": a, "role": r, "attended": a in attended} for a, r in invited
        ]
        rationale = values.get("rationale") or "as recorded in the case management system"
        row["decisions"] = [
            {"decision": d, "rationale": rationale} for d, _ in _codes(values.get("decisions", ""))
        ]
    if values.get("record_shared"):
        shared_with = [a for a, _ in _codes(values.get("shared_with", ""))]
        row["record_shared"] = {
            "shared_at": uk_datetime(values["record_shared"], "record_shared"),
            "agencies": shared_with or [a for a, _ in invited],
        }
    if values.get("quality"):
        row["quality_assessments"] = [
            {
                "rating": _code(values["quality"]),
                "audit_ref": values.get("audit_ref", ""),
                "notes": values.get("quality_notes") or None,
            }
        ]
    return row


# Checking.


def parse(
    rows: Iterator[tuple[Section, int, Any]], actor: Actor, reference: ReferenceData
) -> Parsed:
    """Validate every row's shape, then its commands against the domain's rules.

    A file of more than ``MAX_COMMANDS`` commands is refused as a whole (an import is written
    in one transaction, held in memory until then).
    """
    parsed = Parsed()
    seen: dict[tuple[str, str], int] = {}
    commands = 0
    for section, number, raw in rows:
        ref = _ref_of(raw)
        if isinstance(raw, CsvValueError):
            parsed.errors.append(RowError(section, number, None, raw.column, str(raw)))
            continue
        try:
            model = ROW_MODELS[section].model_validate(raw)
        except ValidationError as error:
            parsed.errors.extend(
                RowError(section, number, ref, _location(e["loc"]), e["msg"])
                for e in error.errors()
            )
            continue
        ref = getattr(model, "ref")  # noqa: B009
        if (section, ref) in seen:
            parsed.errors.append(
                RowError(section, number, ref, "ref", f"repeats row {seen[(section, ref)]}'s ref")
            )
            continue
        seen[(section, ref)] = number
        plan = PLANNERS[section](model)
        commands += plan.command_count()
        if commands > MAX_COMMANDS:
            raise ImportFileError(
                f"the file holds more than {MAX_COMMANDS:,} commands (from {section} row "
                f"{number} on); split it into smaller files"
            )
        problem = rehearse(plan, actor, reference)
        if problem:
            parsed.errors.append(RowError(section, number, ref, *problem))
            continue
        parsed.rows.append(ParsedRow(section, number, ref, plan))
    return parsed


def _ref_of(raw: Any) -> str | None:
    ref = raw.get("ref") if isinstance(raw, dict) else None
    return ref[:100] if isinstance(ref, str) else None


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "row"


def rehearse(plan: Plan, actor: Actor, reference: ReferenceData) -> tuple[str, str] | None:
    """Play a plan on in-memory aggregates: (step, message) of the first rule it breaks."""
    aggregates: dict[UUID, TrailAggregate] = {}
    context = HandlerContext(
        reference,
        uuid4,
        lambda ids: [i for i in ids if not getattr(aggregates[i], "is_finished", True)],
    )
    by = Envelope(actor, "rehearsal")

    def run(command: c.Command) -> TrailAggregate:
        authorize_command(actor, command)
        target = None
        if not isinstance(command, c.CreationCommand):
            target = aggregates[target_id(command)]
            assert isinstance(target, TARGETS[type(command)])
        outcome = HANDLERS[type(command)](command, target, by, context)
        for aggregate in outcome.aggregates:
            aggregates[aggregate.id] = aggregate
        return outcome.answer

    def play(plan: Plan, parent: UUID | None, prefix: str) -> tuple[str, str] | None:
        try:
            created = run(plan.create(parent))
        except (DomainError, ValidationError) as error:
            return prefix.rstrip(".") or "row", _message(error)
        for step in plan.steps:
            if isinstance(step, Plan):
                problem = play(step, created.id, f"{prefix}{step.label}.")
            else:
                name, build = step
                problem = _attempt(run, build, created.id, f"{prefix}{name}")
            if problem:
                return problem
        return None

    try:
        return play(plan, None, "")
    except Exception as error:  # a rule outside the domain's, e.g. the role table
        return "row", str(error)


def _attempt(
    run: Callable[[c.Command], object], build: StepFactory, target: UUID, name: str
) -> tuple[str, str] | None:
    try:
        run(build(target))
    except (DomainError, ValidationError) as error:
        return name, _message(error)
    return None


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{_location(e['loc'])}: {e['msg']}" for e in error.errors())
    return str(error)


def target_id(command: c.Command) -> UUID:
    for name in ("meeting_id", "recommendation_id", "action_id"):
        value = getattr(command, name, None)
        if isinstance(value, UUID):
            return value
    raise TypeError(f"{type(command).__name__} names no target")


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
    """
    outcome = Outcome()

    def work(batch: CommandBatch) -> None:
        nonlocal outcome
        outcome = Outcome()
        for row in rows:
            created = _run_plan(batch, row, row.plan, None, "", "")
            bucket = outcome.created if created.new else outcome.unchanged
            bucket[row.section] = bucket.get(row.section, 0) + 1
            on_row(row)
        on_save(batch.pending_events)

    outcome.events_written = trail.execute_all(work, actor).events_written
    return outcome


def _run_plan(
    batch: CommandBatch,
    row: ParsedRow,
    plan: Plan,
    parent: UUID | None,
    path: str,
    field_prefix: str,
) -> Staged:
    """Run one plan's commands; ``path`` names them for their ids, ``field_prefix`` for errors."""
    label = f"{path}{plan.label}"
    created = _run(batch, row, plan.create(parent), label, field_prefix.rstrip(".") or "row")
    for step in plan.steps:
        if isinstance(step, Plan):
            _run_plan(batch, row, step, created.id, f"{label}/", f"{field_prefix}{step.label}.")
            continue
        name, build = step
        _run(batch, row, build(created.id), f"{label}/{name}", f"{field_prefix}{name}")
    return created


def _run(batch: CommandBatch, row: ParsedRow, command: c.Command, step: str, field: str) -> Staged:
    identified = command.model_copy(update={"command_id": command_id(row.section, row.ref, step)})
    try:
        return batch.run(identified)
    except (DomainError, ApplicationError) as error:
        raise RowRefused(RowError(row.section, row.row, row.ref, field, str(error))) from error
