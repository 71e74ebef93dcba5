"""The rows of an import file, derived from the commands they become.

A row holds the body of the command that creates its aggregate (what ``POST /meetings`` takes),
its ``ref``, and one member per later step: the body of that step's command, alone or in a list.
An agreed action is a row of its own inside its meeting or recommendation, with its own steps.
Bodies are ``application.bodies.body_model``'s, as the HTTP routes', so a row's fields and limits
are its commands'. ``docs/import-format.md`` lists the members.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel

from application import commands as c
from application.bodies import Body, body_model
from application.inputs import Code, Items

Section = Literal["meetings", "recommendations", "actions"]
#: A command, given the id of the aggregate it targets (None for one that creates its own) and
#: its command id.
Builder = Callable[[UUID | None, str], c.Command]


@dataclass(frozen=True)
class Member:
    """A member of a row: the steps of one command, in a list (``many``) or at most one."""

    name: str
    kind: "Kind"
    many: bool = True


@dataclass(frozen=True)
class Kind:
    """An aggregate's part of a row: the command that creates (or agrees) it, then its steps."""

    command: type[c.Command]
    members: tuple[Member, ...] = ()


ACTION_HISTORY = (
    Member("progress", Kind(c.NoteProgress)),
    Member("due_date_revisions", Kind(c.ReviseDueDate)),
    Member("completed", Kind(c.CompleteAction), many=False),
    Member("cancelled", Kind(c.CancelAction), many=False),
)
MEETING = Kind(
    c.RequestMeeting,
    (
        Member("invitations", Kind(c.InviteAgency)),
        Member("rescheduled", Kind(c.RescheduleMeeting)),
        Member("cancelled", Kind(c.CancelMeeting), many=False),
        Member("held", Kind(c.HoldMeeting), many=False),
        Member("attendance", Kind(c.RecordAttendance)),
        Member("decisions", Kind(c.RecordDecision)),
        Member("actions", Kind(c.AgreeMeetingAction, ACTION_HISTORY)),
        Member("record_shared", Kind(c.ShareRecord), many=False),
        Member("quality_assessments", Kind(c.AssessRecordQuality)),
    ),
)
RECOMMENDATION = Kind(
    c.RaiseRecommendation,
    (
        Member("responses", Kind(c.RecordResponse)),
        Member("actions", Kind(c.AgreeRecommendationAction, ACTION_HISTORY)),
        Member("assurances", Kind(c.RecordAssurance)),
        Member("status_changes", Kind(c.ChangeRecommendationStatus)),
        Member("closed", Kind(c.CloseRecommendation), many=False),
    ),
)
ACTION = Kind(c.AssignAction, ACTION_HISTORY)


def row_model(kind: Kind, name: str, **extra: Any) -> type[Body]:
    """The model of ``kind``'s rows: its command's body, then one field per member."""
    members: dict[str, Any] = {}
    for member in kind.members:
        item = row_model(member.kind, f"{name}_{member.name}")
        members[member.name] = (Items[item], []) if member.many else (item | None, None)  # type: ignore[valid-type]
    return body_model(
        kind.command, omit=frozenset({"expected_version"}), name=name, **extra, **members
    )


@dataclass
class Plan:
    """One aggregate's commands: how it is created (from its parent's id) and what follows."""

    label: str
    create: Builder
    steps: list["tuple[str, Builder] | Plan"] = field(default_factory=list)

    def command_count(self) -> int:
        return 1 + sum(s.command_count() if isinstance(s, Plan) else 1 for s in self.steps)


def plan(label: str, kind: Kind, row: BaseModel) -> Plan:
    """A validated row's commands, built once the ids they target are known."""
    names = kind.command.model_fields.keys()
    fields = {name: value for name, value in row if name in names}
    made = Plan(label, _builder(kind.command, fields))
    for member in kind.members:
        value = getattr(row, member.name)
        if member.many:
            items = [(f"{member.name}[{i}]", item) for i, item in enumerate(value, 1)]
        else:
            items = [] if value is None else [(member.name, value)]
        for name, item in items:
            step = plan(name, member.kind, item)
            made.steps.append(step if member.kind.members else (name, step.create))
    return made


def _builder(command: type[c.Command], fields: dict[str, Any]) -> Builder:
    def build(target_id: UUID | None, command_id: str) -> c.Command:
        target = {command.target_field: target_id} if command.target_field else {}
        return command.model_validate({**fields, **target, "command_id": command_id})

    return build


@dataclass(frozen=True)
class SectionFormat:
    """A top-level section: its rows' model and kind; ``label`` starts their commands' ids."""

    label: str
    kind: Kind
    model: type[Body]

    def plan(self, row: BaseModel) -> Plan:
        return plan(self.label, self.kind, row)


def _section(label: str, kind: Kind, name: str) -> SectionFormat:
    return SectionFormat(label, kind, row_model(kind, name, ref=(Code, ...)))


SECTIONS: dict[Section, SectionFormat] = {
    "meetings": _section("meeting", MEETING, "MeetingRow"),
    "recommendations": _section("recommendation", RECOMMENDATION, "RecommendationRow"),
    "actions": _section("action", ACTION, "ActionRow"),
}
