"""The handbook's role table, enforced by the application service on both stores."""

from datetime import date

import pytest

from application import commands as c
from application import queries
from application.errors import Forbidden
from application.permissions import (
    QUERY_READERS,
    REPORT_READERS,
    Task,
    authorize_query,
    authorize_sessions,
    authorize_task,
    first_user_refusal,
)
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.codes import Role
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from domain.values import Actor
from tests.builders import assign_action, raise_recommendation, request_meeting
from tests.core.conftest import Rejects


def agency_commands(action_id: object) -> list[c.Command]:
    return [
        c.NoteProgress(action_id=action_id, note="Chased GP"),
        c.ProposeDueDate(action_id=action_id, due_on=date(2024, 2, 1), reason="Staffing"),
        c.CompleteAction(action_id=action_id, completed_on=date(2023, 11, 1), evidence="Done"),
    ]


def test_agency_staff_update_their_own_agencys_actions(
    app: ActionTrail, governance: Actor, health_lead: Actor
) -> None:
    action_id = assign_action(app, governance, agency="health")
    for command in agency_commands(action_id):
        app.execute(command, health_lead)
    history = app.history(action_id, health_lead, AgencyAction)
    assert [e.actor.user_id for _, e in history[1:]] == [health_lead.user_id] * 3
    assert {e.actor.agency for _, e in history[1:]} == {"health"}


def test_agency_staff_cannot_touch_another_agencys_actions(
    app: ActionTrail, governance: Actor, police_lead: Actor, rejects: Rejects
) -> None:
    action_id = assign_action(app, governance, agency="health")
    for command in agency_commands(action_id):
        rejects(Forbidden, command, police_lead)
    with pytest.raises(Forbidden):
        app.get(action_id, police_lead, AgencyAction)


def test_agency_staff_cannot_revise_reassign_cancel_or_create(
    app: ActionTrail, governance: Actor, health_lead: Actor, rejects: Rejects
) -> None:
    action_id = assign_action(app, governance, agency="health")
    for command in (
        c.ReviseDueDate(action_id=action_id, due_on=date(2024, 2, 1), reason="x"),
        c.ReassignAction(action_id=action_id, agency="police", reason="x"),
        c.CancelAction(action_id=action_id, reason="x"),
        c.AssignAction(
            source=c.ActionSourceIn(kind="other", ref="x"),  # type: ignore[arg-type]
            agency="health",
            description="x",
            due_on=date(2024, 1, 1),
            agreed_on=date(2023, 11, 1),
        ),
    ):
        rejects(Forbidden, command, health_lead)


def test_agency_staff_read_only_their_own_actions(
    app: ActionTrail, governance: Actor, health_lead: Actor
) -> None:
    meeting_id = request_meeting(app, governance)
    action_id = assign_action(app, governance, agency="health")
    assert app.get(action_id, health_lead, AgencyAction).agency == "health"
    with pytest.raises(Forbidden):
        app.get(meeting_id, health_lead, StrategyMeeting)


@pytest.mark.parametrize("role", ["inspector", "reporting"])
def test_inspectors_and_reporting_change_nothing(
    app: ActionTrail,
    governance: Actor,
    rejects: Rejects,
    role: str,
    request: pytest.FixtureRequest,
) -> None:
    reader: Actor = request.getfixturevalue(role)
    meeting_id = request_meeting(app, governance)
    rec_id = raise_recommendation(app, governance)
    action_id = assign_action(app, governance)
    for command in (
        c.InviteAgency(meeting_id=meeting_id, agency="police"),
        c.RecordResponse(recommendation_id=rec_id, text="x", dated=date(2023, 12, 1)),
        *agency_commands(action_id),
    ):
        rejects(Forbidden, command, reader)


def test_inspectors_read_everything_including_history_and_time_travel(
    app: ActionTrail, governance: Actor, inspector: Actor
) -> None:
    meeting_id = request_meeting(app, governance)
    rec_id = raise_recommendation(app, governance)
    action_id = assign_action(app, governance)
    assert app.get(meeting_id, inspector, StrategyMeeting).case_ref == "CASE-1"
    first = app.history(rec_id, inspector, Recommendation)[0].event
    assert first.type_name() == "Recommendation.Raised"
    assert app.state_at(action_id, inspector, AgencyAction, version=1).version == 1


def test_reporting_reads_reports_not_aggregates(
    app: ActionTrail, governance: Actor, reporting: Actor
) -> None:
    meeting_id = request_meeting(app, governance)
    with pytest.raises(Forbidden):
        app.history(meeting_id, reporting, StrategyMeeting)


def test_report_readers_and_agency_scope_of_overdue_actions(
    governance: Actor, health_lead: Actor, reporting: Actor
) -> None:
    from application.permissions import overdue_scope

    assert overdue_scope(reporting, "police") == "police"
    assert overdue_scope(governance, None) is None
    assert overdue_scope(health_lead, None) == "health"
    with pytest.raises(Forbidden):
        overdue_scope(health_lead, "police")


def test_every_query_has_a_row_in_the_role_table(health_lead: Actor, reporting: Actor) -> None:
    kinds = {
        kind
        for kind in vars(queries).values()
        if isinstance(kind, type) and issubclass(kind, queries.Query) and kind is not queries.Query
    }
    assert set(QUERY_READERS) == kinds
    assert QUERY_READERS[queries.StatusQuery] == REPORT_READERS
    authorize_query(reporting, queries.StatusQuery)
    authorize_query(health_lead, queries.OverdueQuery)
    authorize_query(health_lead, queries.HistoryQuery)
    for kind in (queries.AttendanceQuery, queries.AuditLogQuery, queries.StatusQuery):
        with pytest.raises(Forbidden, match=f"the agency role may not {kind.purpose}"):
            authorize_query(health_lead, kind)


def test_a_refused_command_is_named_as_a_person_would_say_it(
    app: ActionTrail, governance: Actor, health_lead: Actor, inspector: Actor
) -> None:
    action_id = assign_action(app, governance, agency="health")
    reassign = c.ReassignAction(action_id=action_id, agency="police", reason="Wrong agency")

    with pytest.raises(Forbidden) as by_agency:
        app.execute(reassign, health_lead)
    with pytest.raises(Forbidden) as by_inspector:
        app.execute(c.NoteProgress(action_id=action_id, note="Seen"), inspector)

    assert str(by_agency.value) == (
        "the agency role may not reassign an action; allowed: governance"
    )
    assert str(by_inspector.value) == (
        "the inspector role may not note progress on an action; allowed: governance, agency"
    )


def test_every_command_declares_what_doing_it_is() -> None:
    kinds = [k for k in vars(c).values() if isinstance(k, type) and issubclass(k, c.Command)]
    concrete = [k for k in kinds if not any(o is not k and issubclass(o, k) for o in kinds)]
    purposes = [getattr(kind, "purpose", "") for kind in concrete]

    assert len(concrete) > 25
    assert all(p and p == p.lower() for p in purposes), purposes
    assert len(set(purposes)) == len(purposes)


@pytest.mark.parametrize("task", list(Task))
@pytest.mark.parametrize("role", [r for r in Role if r is not Role.GOVERNANCE])
def test_only_governance_runs_the_system(task: Task, role: Role) -> None:
    authorize_task(Actor("u-gov", Role.GOVERNANCE), task)
    with pytest.raises(Forbidden, match=f"the {role.value} role may not {task.value}; allowed: "):
        authorize_task(Actor("u-other", role, "health" if role is Role.AGENCY else None), task)


def test_a_users_sessions_are_theirs_and_governances() -> None:
    authorize_sessions(Actor("u-1", Role.INSPECTOR), "u-1")
    authorize_sessions(Actor("u-gov", Role.GOVERNANCE), "u-1")
    with pytest.raises(Forbidden, match="only the user themselves or governance"):
        authorize_sessions(Actor("u-2", Role.INSPECTOR), "u-1")


def test_the_first_user_is_governance() -> None:
    assert first_user_refusal(Role.GOVERNANCE) is None
    assert first_user_refusal(Role.INSPECTOR) == "the first user must have the governance role"
