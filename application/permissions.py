"""The handbook's role table, enforced for every command and read, and for the tasks of
running the system (users, imports, projection skips)."""

from collections.abc import Callable, Iterable
from enum import StrEnum
from uuid import UUID

from application import queries as q
from application.commands import (
    ActionCommand,
    Command,
    CompleteAction,
    NoteProgress,
    ProposeDueDate,
)
from application.errors import Forbidden
from domain.action import AgencyAction
from domain.codes import Role
from domain.events import TrailAggregate
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from domain.values import Actor

#: The agencies owning these actions now.
Owners = Callable[[Iterable[UUID]], set[str]]

AGENCY_COMMANDS: tuple[type[ActionCommand], ...] = (NoteProgress, CompleteAction, ProposeDueDate)
READERS_OF_EVERYTHING = frozenset({Role.GOVERNANCE, Role.INSPECTOR})
#: Who reads the read models (reports, the audit log, the event feed, projection status).
REPORT_READERS = frozenset({Role.GOVERNANCE, Role.INSPECTOR, Role.REPORTING})
EVERYONE = frozenset(Role)
#: Who lists actions: those who read aggregates (agency staff their own agency's only).
ACTION_READERS = frozenset({Role.GOVERNANCE, Role.INSPECTOR, Role.AGENCY})
#: Which roles may ask each query. Reading an aggregate is then checked against the aggregate
#: itself (``authorize_read``); agency staff's overdue actions and list of actions are scoped by
#: ``overdue_scope``.
QUERY_READERS: dict[type[q.Query], frozenset[Role]] = {
    q.OverdueQuery: EVERYONE,
    q.CompletedLateQuery: EVERYONE,
    q.AttendanceQuery: REPORT_READERS,
    q.TimelinessQuery: REPORT_READERS,
    q.LatestPeriodQuery: REPORT_READERS,
    q.QualityQuery: REPORT_READERS,
    q.ResponsesQuery: REPORT_READERS,
    q.AuditLogQuery: REPORT_READERS,
    q.FeedQuery: REPORT_READERS,
    q.StatusQuery: REPORT_READERS,
    q.ExportQuery: REPORT_READERS,
    q.StateQuery: EVERYONE,
    q.TimelineQuery: EVERYONE,
    q.HistoryQuery: EVERYONE,
    q.UsersQuery: READERS_OF_EVERYTHING,
    q.ReferenceQuery: EVERYONE,
    q.MeetingListQuery: READERS_OF_EVERYTHING,
    q.RecommendationListQuery: READERS_OF_EVERYTHING,
    q.ActionListQuery: ACTION_READERS,
    q.QueueQuery: READERS_OF_EVERYTHING,
    q.IntegrityQuery: READERS_OF_EVERYTHING,
    q.PackQuery: READERS_OF_EVERYTHING,
    q.PublicKeyQuery: EVERYONE,
}


class Task(StrEnum):
    """What is neither a command nor a query: the running of the system itself (its value says
    what the task does, as a refusal names it)."""

    #: Users, their tokens and identities, and the sign-in record.
    MANAGE_USERS = "manage users"
    IMPORT = "import records"
    #: Let a stalled projection pass the event it cannot apply.
    SKIP_EVENT = "skip an event a projection cannot apply"


GOVERNANCE_ONLY = frozenset({Role.GOVERNANCE})
#: Which roles may do each task.
TASK_ROLES: dict[Task, frozenset[Role]] = {
    Task.MANAGE_USERS: GOVERNANCE_ONLY,
    Task.IMPORT: GOVERNANCE_ONLY,
    Task.SKIP_EVENT: GOVERNANCE_ONLY,
}
#: The role of a new database's first user, who needs no token and adds the others.
FIRST_USER_ROLE = Role.GOVERNANCE


def authorize_command(actor: Actor, command: Command) -> None:
    """Role-level check, before anything is loaded."""
    if actor.role is Role.GOVERNANCE:
        return
    if actor.role is Role.AGENCY and isinstance(command, AGENCY_COMMANDS):
        return
    allowed = "governance, agency" if isinstance(command, AGENCY_COMMANDS) else "governance"
    raise Forbidden(f"the {actor.role.value} role may not {command.purpose}; allowed: {allowed}")


def authorize_query(actor: Actor, kind: type[q.Query]) -> None:
    """Role-level check of a query, by its type alone (so a front end may check it early)."""
    _require_role(actor, QUERY_READERS[kind], kind.purpose)


def authorize_task(actor: Actor, task: Task) -> None:
    """Role-level check of a task of running the system."""
    _require_role(actor, TASK_ROLES[task], task.value)


def authorize_sessions(actor: Actor, user_id: str) -> None:
    """A user's console sessions are seen and ended by the user themselves or by those who
    manage users."""
    if actor.user_id != user_id and actor.role not in TASK_ROLES[Task.MANAGE_USERS]:
        raise Forbidden("only the user themselves or governance may see or end their sessions")


def first_user_refusal(role: Role) -> str | None:
    """Why a user of ``role`` may not be a new database's first user, or None if they may."""
    if role is FIRST_USER_ROLE:
        return None
    return f"the first user must have the {FIRST_USER_ROLE.value} role"


def _require_role(actor: Actor, allowed: frozenset[Role], purpose: str) -> None:
    if actor.role not in allowed:
        roles = ", ".join(r.value for r in Role if r in allowed)
        raise Forbidden(f"the {actor.role.value} role may not {purpose}; allowed: {roles}")


def may_ask(actor: Actor, kind: type[q.Query]) -> bool:
    """Whether the actor's role may ask queries of this type (``authorize_query`` without
    raising: for what an answer adds only for those who may read it)."""
    return actor.role in QUERY_READERS[kind]


def authorize_change(actor: Actor, target: TrailAggregate) -> None:
    """Object-level check: agency staff change only their own agency's actions."""
    if actor.role is Role.AGENCY:
        _require_own_action(actor, target, "change")


def authorize_read(actor: Actor, target: TrailAggregate, owners: Owners | None = None) -> None:
    """Governance and inspectors read everything; agency staff their own agency's actions and
    the recommendations and meetings those come from (``owners``: who owns an aggregate's
    actions; without it, actions only)."""
    if actor.role in READERS_OF_EVERYTHING:
        return
    if actor.role is Role.AGENCY:
        if isinstance(target, Recommendation | StrategyMeeting) and owners is not None:
            if actor.agency in owners(target.action_ids):
                return
            raise Forbidden(
                "agency staff may read only the recommendations and meetings their own "
                "agency's actions come from"
            )
        _require_own_action(actor, target, "read")
        return
    raise Forbidden(
        f"the {actor.role.value} role reads the reports and the event feed, not aggregates"
    )


def authorize_history(actor: Actor, target: TrailAggregate) -> None:
    """Agency staff read the history of their own agency's actions only (of the
    recommendations and meetings they may read, the state, never its events)."""
    if actor.role is Role.AGENCY:
        _require_own_action(actor, target, "read the history of")


def _require_own_action(actor: Actor, target: TrailAggregate, verb: str) -> None:
    if not isinstance(target, AgencyAction) or target.agency != actor.agency:
        raise Forbidden(f"agency staff may {verb} only the actions of their own agency")


def overdue_scope(actor: Actor, agency: str | None) -> str | None:
    """The agency whose actions (overdue, or listed) an actor may see: agency staff see only
    their own."""
    if actor.role is not Role.AGENCY:
        return agency
    if agency not in (None, actor.agency):
        raise Forbidden("agency staff may read only the actions of their own agency")
    return actor.agency
