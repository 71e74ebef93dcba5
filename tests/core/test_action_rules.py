"""Every AgencyAction invariant of the handbook, on both stores."""

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from application import commands as c
from application.service import ActionTrail
from domain import errors
from domain.action import AgencyAction
from domain.clock import london_today
from domain.codes import ActionSourceKind, ActionStatus
from domain.values import Actor
from tests.builders import assign_action
from tests.core.conftest import Rejects

COMPLETE = {"completed_on": date(2023, 11, 20), "evidence": "Flag added"}


def test_due_date_revision_keeps_the_original(app: ActionTrail, governance: Actor) -> None:
    action_id = assign_action(app, governance, due_on=date(2023, 12, 1))
    app.execute(
        c.ReviseDueDate(action_id=action_id, due_on=date(2024, 1, 15), reason="GP system change"),
        governance,
    )
    action = app.get(action_id, governance, AgencyAction)
    assert action.original_due_on == date(2023, 12, 1)
    assert action.due_on == date(2024, 1, 15)
    assert [(r.due_on, r.approved_by) for r in action.revisions] == [
        (date(2024, 1, 15), governance.user_id)
    ]


def test_a_proposed_due_date_does_not_change_the_due_date(
    app: ActionTrail, governance: Actor, health_lead: Actor
) -> None:
    action_id = assign_action(app, governance, due_on=date(2023, 12, 1))
    app.execute(
        c.ProposeDueDate(action_id=action_id, due_on=date(2024, 2, 1), reason="Staffing"),
        health_lead,
    )
    action = app.get(action_id, governance, AgencyAction)
    assert action.due_on == date(2023, 12, 1)
    assert action.proposals[0].proposed_by == health_lead.user_id


@pytest.mark.parametrize("finish", ["complete", "cancel"])
def test_a_finished_action_cannot_be_completed_or_revised(
    app: ActionTrail, governance: Actor, rejects: Rejects, finish: str
) -> None:
    action_id = assign_action(app, governance)
    if finish == "complete":
        app.execute(c.CompleteAction(action_id=action_id, **COMPLETE), governance)
    else:
        app.execute(c.CancelAction(action_id=action_id, reason="Duplicate"), governance)
    rejects(errors.ActionClosed, c.CompleteAction(action_id=action_id, **COMPLETE), governance)
    rejects(
        errors.ActionClosed,
        c.ReviseDueDate(action_id=action_id, due_on=date(2024, 3, 1), reason="Later"),
        governance,
    )
    rejects(errors.ActionClosed, c.CancelAction(action_id=action_id, reason="x"), governance)


def test_reopening_brings_a_finished_action_back(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    action_id = assign_action(app, governance)
    rejects(errors.ActionNotClosed, c.ReopenAction(action_id=action_id, reason="x"), governance)
    app.execute(c.CompleteAction(action_id=action_id, **COMPLETE), governance)
    reopen = c.ReopenAction(
        action_id=action_id, reason="Evidence rejected", effective_on=date(2023, 11, 21)
    )
    app.execute(reopen, governance)
    action = app.get(action_id, governance, AgencyAction)
    assert (action.status, action.completed_on) == (ActionStatus.OPEN, None)
    app.execute(
        c.CompleteAction(action_id=action_id, completed_on=date(2023, 11, 21), evidence="Done"),
        governance,
    )
    assert app.get(action_id, governance, AgencyAction).status is ActionStatus.COMPLETED


def test_a_revision_needs_a_reason(app: ActionTrail, governance: Actor, rejects: Rejects) -> None:
    action_id = assign_action(app, governance)
    rejects(
        errors.ReasonRequired,
        c.ReviseDueDate.model_construct(action_id=action_id, due_on=date(2024, 3, 1), reason="  "),
        governance,
    )


def test_completion_cannot_lie_in_the_future(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    action_id = assign_action(app, governance)
    rejects(
        errors.FutureDate,
        c.CompleteAction(
            action_id=action_id, completed_on=date.today() + timedelta(days=3), evidence="x"
        ),
        governance,
    )


def test_reassignment_changes_the_owning_agency(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    action_id = assign_action(app, governance, agency="health")
    rejects(
        errors.InvalidInput,
        c.ReassignAction(action_id=action_id, agency="health", reason="same"),
        governance,
    )
    app.execute(
        c.ReassignAction(action_id=action_id, agency="police", reason="Police lead"), governance
    )
    assert app.get(action_id, governance, AgencyAction).agency == "police"


def test_the_domain_refuses_a_control_character_that_skipped_validation(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    """Defence in depth: a command built without validation still cannot store a NUL."""
    action_id = assign_action(app, governance)
    unchecked = c.NoteProgress.model_construct(action_id=action_id, note="a\x00b")

    info = rejects(errors.InvalidInput, unchecked, governance)

    assert "U+0000" in str(info.value)


def test_effective_dates_default_to_the_london_date_recorded(
    app: ActionTrail, governance: Actor
) -> None:
    with freeze_time("2023-10-01 23:30:00"):  # 00:30 on 2 October in London (BST)
        action_id = app.execute(
            c.AssignAction(
                source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref="MARAC-7"),
                agency="health",
                description="Flag",
                due_on=date(2023, 12, 1),
            ),
            governance,
        ).id
        app.execute(c.CancelAction(action_id=action_id, reason="Duplicate"), governance)
    action = app.get(action_id, governance, AgencyAction)
    assert action.agreed_on == date(2023, 10, 2)
    cancelled = app.history(action_id, governance, AgencyAction)[-1].event
    assert (cancelled.effective, cancelled.data_as_json()["effective_on"]) == (
        date(2023, 10, 2),
        "2023-10-02",
    )


def test_nothing_takes_effect_before_the_action_was_agreed(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    action_id = assign_action(app, governance)  # agreed on 1 November 2023
    before = date(2023, 10, 31)
    for command in (
        c.ReviseDueDate(
            action_id=action_id, due_on=date(2024, 1, 5), reason="x", effective_on=before
        ),
        c.ReassignAction(action_id=action_id, agency="police", reason="x", effective_on=before),
        c.CancelAction(action_id=action_id, reason="x", effective_on=before),
        c.CompleteAction(action_id=action_id, completed_on=before, evidence="x"),
    ):
        info = rejects(errors.BeforeAgreed, command, governance)
        assert "before the action was agreed (2023-11-01)" in str(info.value)


def test_an_action_is_not_due_before_it_was_agreed(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    assign = c.AssignAction(
        source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref="MARAC-7"),
        agency="health",
        description="Flag",
        due_on=date(2023, 10, 31),
        agreed_on=date(2023, 11, 1),
    )
    info = rejects(errors.BeforeAgreed, assign, governance)
    assert str(info.value) == (
        "an action agreed on 2023-11-01 cannot fall due before then (due on 2023-10-31)"
    )
    action_id = assign_action(app, governance)
    revise = c.ReviseDueDate(action_id=action_id, due_on=date(2023, 10, 31), reason="x")
    rejects(errors.BeforeAgreed, revise, governance)


def test_effective_dates_cannot_lie_in_the_future(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    tomorrow = london_today() + timedelta(days=1)
    action_id = assign_action(app, governance)
    rejects(
        errors.FutureDate,
        c.CancelAction(action_id=action_id, reason="x", effective_on=tomorrow),
        governance,
    )
    assign = c.AssignAction(
        source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref="MARAC-7"),
        agency="health",
        description="Flag",
        due_on=tomorrow + timedelta(days=7),
        agreed_on=tomorrow,
    )
    rejects(errors.FutureDate, assign, governance)


def test_a_change_of_status_cannot_take_effect_before_the_one_it_follows(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    action_id = assign_action(app, governance)
    app.execute(c.CompleteAction(action_id=action_id, **COMPLETE), governance)  # 20 November
    early_reopen = c.ReopenAction(action_id=action_id, reason="x", effective_on=date(2023, 11, 19))
    info = rejects(errors.OutOfOrder, early_reopen, governance)
    assert str(info.value) == (
        "effective on 2023-11-19 is before the action became completed (2023-11-20)"
    )
    app.execute(
        c.ReopenAction(action_id=action_id, reason="x", effective_on=date(2023, 11, 25)),
        governance,
    )
    early_completion = c.CompleteAction(
        action_id=action_id, completed_on=date(2023, 11, 24), evidence="x"
    )
    rejects(errors.OutOfOrder, early_completion, governance)
