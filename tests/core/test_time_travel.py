"""History and past states, by version and by recorded time, over several frozen days."""

from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time

from application import commands as c
from application.errors import NotFound
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.codes import ActionStatus
from domain.recommendation import Recommendation
from domain.values import Actor
from tests.builders import assign_action, raise_recommendation


def test_state_as_recorded_at_any_moment(stored_app: ActionTrail, governance: Actor) -> None:
    with freeze_time("2023-11-01 09:00:00"):
        action_id = assign_action(stored_app, governance, due_on=date(2023, 12, 1))
    with freeze_time("2023-11-20 14:00:00"):
        stored_app.execute(
            c.ReviseDueDate(action_id=action_id, due_on=date(2024, 1, 15), reason="Capacity"),
            governance,
        )
    with freeze_time("2024-01-10 16:30:00"):
        stored_app.execute(
            c.CompleteAction(action_id=action_id, completed_on=date(2024, 1, 9), evidence="Done"),
            governance,
        )

    def as_at(moment: str) -> AgencyAction:
        at = datetime.fromisoformat(moment)
        return stored_app.state_at(action_id, governance, AgencyAction, known_at=at)

    assert as_at("2023-11-01T09:00:00+00:00").due_on == date(2023, 12, 1)
    assert as_at("2023-11-20T13:59:59+00:00").due_on == date(2023, 12, 1)
    on_revision = as_at("2023-11-20T14:00:00+00:00")
    assert (on_revision.due_on, on_revision.status) == (date(2024, 1, 15), ActionStatus.OPEN)
    assert as_at("2024-01-10T16:29:00+00:00").status is ActionStatus.OPEN
    assert as_at("2024-01-11T00:00:00+01:00").status is ActionStatus.COMPLETED
    with pytest.raises(NotFound, match="first recorded at 2023-11-01T09:00:00"):
        as_at("2023-10-31T23:59:59+00:00")


def test_state_at_each_version(app: ActionTrail, governance: Actor) -> None:
    action_id = assign_action(app, governance)
    app.execute(c.NoteProgress(action_id=action_id, note="one"), governance)
    app.execute(c.NoteProgress(action_id=action_id, note="two"), governance)
    notes = [
        app.state_at(action_id, governance, AgencyAction, version=v).progress_notes
        for v in (1, 2, 3)
    ]
    assert notes == [[], ["one"], ["one", "two"]]
    with pytest.raises(NotFound):
        app.state_at(action_id, governance, AgencyAction, version=4)


def test_history_gives_who_when_why_and_effective_dates(
    stored_app: ActionTrail, governance: Actor
) -> None:
    with freeze_time("2023-10-02 09:00:00"):
        rec_id = raise_recommendation(stored_app, governance)
    with freeze_time("2023-12-05 11:15:00"):  # typed in on 5 December ...
        stored_app.execute(
            c.RecordResponse(
                recommendation_id=rec_id,
                text="Agreed",
                dated=date(2023, 12, 1),  # ... dated 1st
                command_id="resp-1",
            ),
            governance,
        )
    history = stored_app.history(rec_id, governance, Recommendation)
    assert [e.type_name() for _, e in history] == [
        "Recommendation.Raised",
        "Recommendation.ResponseRecorded",
    ]
    response = history[1].event
    assert response.timestamp == datetime(2023, 12, 5, 11, 15, tzinfo=UTC)
    assert response.effective == date(2023, 12, 1)
    assert response.command_id == "resp-1"
    assert response.actor.user_id == governance.user_id
    assert response.data_as_json() == {
        "number": 1,
        "text": "Agreed",
        "dated": "2023-12-01",
        "agency": None,
    }
    assert history[0].position < history[1].position
    assert [e.originator_version for _, e in history] == [1, 2]
