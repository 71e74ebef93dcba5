"""Retried commands apply once; concurrent writers meet a real version conflict."""

from datetime import date

import pytest

from application import commands as c
from application.errors import KeyReused, NotFound, VersionConflict
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.meeting import StrategyMeeting
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from tests.builders import assign_action, held_meeting


def test_a_retried_creation_returns_the_first_result_and_writes_nothing(
    app: ActionTrail, governance: Actor
) -> None:
    command = c.AssignAction(
        command_id="import-row-7",
        source=c.ActionSourceIn(kind="marac", ref="MARAC-1"),  # type: ignore[arg-type]
        agency="police",
        description="Visit",
        due_on=date(2023, 12, 1),
        agreed_on=date(2023, 11, 1),
    )
    first = app.execute(command, governance)
    head = app.head()
    assert app.execute(command, governance) == first
    assert app.head() == head


def test_a_retried_update_returns_the_first_result_and_writes_nothing(
    app: ActionTrail, governance: Actor
) -> None:
    action_id = assign_action(app, governance)
    note = c.NoteProgress(action_id=action_id, note="Chased", command_id="k-1")
    first = app.execute(note, governance)
    app.execute(c.NoteProgress(action_id=action_id, note="Later note"), governance)
    head = app.head()
    assert app.execute(note, governance) == first
    assert app.head() == head
    assert app.get(action_id, governance, AgencyAction).progress_notes == ["Chased", "Later note"]


def test_a_retried_agreement_answers_the_same_new_action(
    app: ActionTrail, governance: Actor
) -> None:
    meeting_id = held_meeting(app, governance)
    agree = c.AgreeMeetingAction(
        meeting_id=meeting_id,
        agency="police",
        description="Visit",
        due_on=date(2023, 6, 20),
        agreed_on=date(2023, 6, 14),
        command_id="agree-1",
    )
    first = app.execute(agree, governance)
    head = app.head()
    assert app.execute(agree, governance) == first
    assert app.head() == head
    assert app.get(meeting_id, governance, StrategyMeeting).action_ids == [first.id]


def test_command_ids_are_scoped_per_user(
    app: ActionTrail, governance: Actor, health_lead: Actor
) -> None:
    action_id = assign_action(app, governance, agency="health")
    by_governance = app.execute(
        c.NoteProgress(action_id=action_id, note="a", command_id="same"), governance
    )
    by_agency = app.execute(
        c.NoteProgress(action_id=action_id, note="b", command_id="same"), health_lead
    )
    assert by_agency.version == by_governance.version + 1


def test_expected_version_that_moved_on_is_a_conflict(app: ActionTrail, governance: Actor) -> None:
    action_id = assign_action(app, governance)
    app.execute(c.NoteProgress(action_id=action_id, note="x"), governance)
    head = app.head()
    with pytest.raises(VersionConflict) as info:
        app.execute(
            c.NoteProgress(action_id=action_id, note="stale", expected_version=1), governance
        )
    assert info.value.current == 2
    assert app.head() == head


def test_two_concurrent_writers_one_wins_one_conflicts(
    settings: Settings, stored_app: ActionTrail, governance: Actor
) -> None:
    """Two processes' worth of applications on one database, both acting on version 1."""
    action_id = assign_action(stored_app, governance)
    other = build_application(settings)
    try:
        mine = stored_app.repository.get(action_id)
        theirs = other.repository.get(action_id)
        assert mine.version == theirs.version == 1
        stored_app.execute(
            c.NoteProgress(action_id=action_id, note="first", expected_version=1), governance
        )
        with pytest.raises(VersionConflict) as info:
            other.execute(
                c.NoteProgress(action_id=action_id, note="second", expected_version=1), governance
            )
        assert info.value.current == 2
    finally:
        other.close()


def test_a_lost_race_without_expected_version_is_retried_on_fresh_state(
    settings: Settings, stored_app: ActionTrail, governance: Actor
) -> None:
    """The writer that loses the insert race reloads and applies its command on top."""
    action_id = assign_action(stored_app, governance)
    other = build_application(settings)
    try:
        stale = other.repository.get(action_id)
        original_get = other.repository.get
        calls = {"n": 0}

        def stale_first(aggregate_id: object, **kwargs: object) -> object:
            calls["n"] += 1
            return stale if calls["n"] == 1 else original_get(aggregate_id, **kwargs)  # type: ignore[arg-type]

        stored_app.execute(c.NoteProgress(action_id=action_id, note="first"), governance)
        other.repository.get = stale_first  # type: ignore[method-assign]
        result = other.execute(c.NoteProgress(action_id=action_id, note="second"), governance)
        assert result.version == 3
        assert calls["n"] >= 2
        assert stored_app.get(action_id, governance, AgencyAction).progress_notes == [
            "first",
            "second",
        ]
    finally:
        other.close()


def test_unknown_or_mistyped_ids_are_not_found(app: ActionTrail, governance: Actor) -> None:
    action_id = assign_action(app, governance)
    with pytest.raises(NotFound, match="strategy meeting"):
        app.get(action_id, governance, StrategyMeeting)
    with pytest.raises(NotFound):
        app.execute(
            c.HoldMeeting.model_validate(
                {"meeting_id": action_id, "held_at": "2023-06-14T10:00:00+00:00", "format": "phone"}
            ),
            governance,
        )


def test_a_key_sent_again_with_another_body_is_refused_and_writes_nothing(
    app: ActionTrail, governance: Actor
) -> None:
    action_id = assign_action(app, governance)
    app.execute(c.NoteProgress(action_id=action_id, note="Chased", command_id="k-9"), governance)
    head = app.head()
    with pytest.raises(KeyReused, match="k-9"):
        app.execute(c.NoteProgress(action_id=action_id, note="Other", command_id="k-9"), governance)
    assert app.head() == head


def test_a_key_of_a_creation_sent_to_another_kind_of_record_is_refused(
    app: ActionTrail, governance: Actor
) -> None:
    created = app.execute(
        c.RequestMeeting.model_validate(
            {
                "case_ref": "CASE-K",
                "concern_raised_at": "2023-06-12T09:00:00+00:00",
                "kind": "missing",
                "team": "North",
                "command_id": "key-1",
            }
        ),
        governance,
    )
    head = app.head()
    raise_it = c.RaiseRecommendation.model_validate(
        {
            "source": {"kind": "audit", "ref": "A-1", "title": "Audit"},
            "number": 1,
            "text": "Do better",
            "raised_on": "2023-11-01",
            "command_id": "key-1",
        }
    )
    with pytest.raises(KeyReused):
        app.execute(raise_it, governance)
    with pytest.raises(KeyReused):
        app.execute(c.NoteProgress(action_id=created.id, note="x", command_id="key-1"), governance)
    assert app.head() == head


def test_a_retry_that_loses_the_race_to_its_own_first_attempt_answers_the_first_result(
    settings: Settings, stored_app: ActionTrail, governance: Actor
) -> None:
    """The same keyed command, sent twice at once with ``expected_version``: the second is told
    what the first did, not that it conflicts with itself."""
    action_id = assign_action(stored_app, governance)
    command = c.NoteProgress(action_id=action_id, note="once", expected_version=1, command_id="r")
    other = build_application(settings)
    try:
        original_get = other.repository.get
        answers = []

        def first_attempt_wins_meanwhile(aggregate_id: object, **kwargs: object) -> object:
            loaded = original_get(aggregate_id, **kwargs)  # type: ignore[arg-type]
            if not answers:
                answers.append(stored_app.execute(command, governance))
            return loaded

        other.repository.get = first_attempt_wins_meanwhile  # type: ignore[method-assign]
        head_before = stored_app.head()
        assert other.execute(command, governance) == answers[0]
        assert stored_app.head() == head_before + 1
        assert stored_app.get(action_id, governance, AgencyAction).progress_notes == ["once"]
    finally:
        other.close()
