"""Every Recommendation invariant of the handbook, on both stores."""

from datetime import date, timedelta
from uuid import UUID

import pytest

from application import commands as c
from application.service import ActionTrail
from domain import errors
from domain.codes import AssuranceKind, Rag, RecommendationStatus
from domain.recommendation import Recommendation
from domain.values import Actor
from tests.builders import raise_recommendation
from tests.core.conftest import Rejects


def respond(app: ActionTrail, rec_id: UUID, by: Actor, text: str = "Agreed") -> None:
    app.execute(c.RecordResponse(recommendation_id=rec_id, text=text, dated=date(2023, 12, 1)), by)


def agree_action(app: ActionTrail, rec_id: UUID, by: Actor) -> UUID:
    command = c.AgreeRecommendationAction(
        recommendation_id=rec_id,
        agency="health",
        description="Invite health",
        due_on=date(2024, 1, 31),
        agreed_on=date(2023, 12, 4),
    )
    return app.execute(command, by).id


def test_responses_are_numbered_and_corrections_keep_the_old_text(
    app: ActionTrail, governance: Actor
) -> None:
    rec_id = raise_recommendation(app, governance)
    respond(app, rec_id, governance, "First answer")
    respond(app, rec_id, governance, "Second answer")
    app.execute(
        c.CorrectResponse(
            recommendation_id=rec_id, number=1, text="First answer, corrected", reason="Typo"
        ),
        governance,
    )
    rec = app.get(rec_id, governance, Recommendation)
    assert [r.number for r in rec.responses] == [1, 2]
    first = rec.responses[0]
    assert first.text == "First answer, corrected"
    assert first.original_text == "First answer"
    assert [(k.text, k.reason) for k in first.corrections] == [("First answer, corrected", "Typo")]
    assert first.dated == date(2023, 12, 1)


def test_correcting_a_missing_response_is_refused(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)
    rejects(
        errors.NoSuchResponse,
        c.CorrectResponse(recommendation_id=rec_id, number=1, text="x", reason="y"),
        governance,
    )


def test_closing_needs_a_response(app: ActionTrail, governance: Actor, rejects: Rejects) -> None:
    rec_id = raise_recommendation(app, governance)
    info = rejects(
        errors.ClosureNotAllowed,
        c.CloseRecommendation(recommendation_id=rec_id, evidence="Dip sample", reason="Done"),
        governance,
    )
    assert "no response" in str(info.value)


def test_closing_needs_linked_actions_finished_or_an_override(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)
    respond(app, rec_id, governance)
    action_id = agree_action(app, rec_id, governance)
    close = c.CloseRecommendation(recommendation_id=rec_id, evidence="Dip sample", reason="Done")
    info = rejects(errors.ClosureNotAllowed, close, governance)
    assert "still open" in str(info.value)

    app.execute(
        c.CloseRecommendation(
            recommendation_id=rec_id, evidence="Dip sample", reason="Board accepted", override=True
        ),
        governance,
    )
    closed = app.history(rec_id, governance, Recommendation)[-1].event
    assert closed.type_name() == "Recommendation.Closed"
    assert closed.data_as_json()["override"] is True
    assert closed.data_as_json()["open_action_ids"] == [str(action_id)]


def test_closing_succeeds_once_every_linked_action_is_done(
    app: ActionTrail, governance: Actor
) -> None:
    rec_id = raise_recommendation(app, governance)
    respond(app, rec_id, governance)
    action_id = agree_action(app, rec_id, governance)
    app.execute(
        c.CompleteAction(action_id=action_id, completed_on=date(2024, 1, 8), evidence="Dip"),
        governance,
    )
    app.execute(
        c.CloseRecommendation(recommendation_id=rec_id, evidence="Dip sample", reason="Done"),
        governance,
    )
    assert app.get(rec_id, governance, Recommendation).status is RecommendationStatus.CLOSED


def test_a_closed_recommendation_takes_no_responses_until_reopened(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)
    respond(app, rec_id, governance)
    app.execute(
        c.CloseRecommendation(recommendation_id=rec_id, evidence="E", reason="R"), governance
    )
    rejects(
        errors.RecommendationClosed,
        c.RecordResponse(recommendation_id=rec_id, text="late", dated=date(2023, 12, 2)),
        governance,
    )
    rejects(
        errors.RecommendationClosed,
        c.CloseRecommendation(recommendation_id=rec_id, evidence="E", reason="R"),
        governance,
    )
    app.execute(c.ReopenRecommendation(recommendation_id=rec_id, reason="New audit"), governance)
    respond(app, rec_id, governance, "After reopening")
    assert len(app.get(rec_id, governance, Recommendation).responses) == 2


def test_reopening_an_open_recommendation_is_refused(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)
    rejects(
        errors.RecommendationNotClosed,
        c.ReopenRecommendation(recommendation_id=rec_id, reason="x"),
        governance,
    )


def test_status_changes_need_a_reason_and_cannot_close(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)
    rejects(
        errors.InvalidInput,
        c.ChangeRecommendationStatus(
            recommendation_id=rec_id, status=RecommendationStatus.CLOSED, reason="done"
        ),
        governance,
    )
    app.execute(
        c.ChangeRecommendationStatus(
            recommendation_id=rec_id,
            status=RecommendationStatus.IN_PROGRESS,
            rag=Rag.AMBER,
            reason="Form going live in September",
        ),
        governance,
    )
    rec = app.get(rec_id, governance, Recommendation)
    assert (rec.status, rec.rag) == (RecommendationStatus.IN_PROGRESS, Rag.AMBER)


def test_assurance_measures_must_fit_the_sample(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)
    dip = {
        "recommendation_id": rec_id,
        "kind": AssuranceKind.DIP_SAMPLE,
        "dated": date(2024, 1, 8),
        "sample_size": 16,
        "summary": "Health invited to 14 of 16",
    }
    rejects(
        errors.InvalidInput,
        c.RecordAssurance(
            **dip, measures=[c.MeasureIn(name="health invited", numerator=17, denominator=16)]
        ),
        governance,
    )
    rejects(
        errors.InvalidInput,
        c.RecordAssurance(
            **dip, measures=[c.MeasureIn(name="health invited", numerator=3, denominator=20)]
        ),
        governance,
    )
    app.execute(
        c.RecordAssurance(
            **dip, measures=[c.MeasureIn(name="health invited", numerator=14, denominator=16)]
        ),
        governance,
    )
    assurance = app.get(rec_id, governance, Recommendation).assurances[0]
    assert (assurance.measures[0].numerator, assurance.measures[0].denominator) == (14, 16)


def test_a_response_dated_in_the_future_is_refused(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)
    rejects(
        errors.FutureDate,
        c.RecordResponse(
            recommendation_id=rec_id, text="x", dated=date.today() + timedelta(days=2)
        ),
        governance,
    )


def test_a_refused_assurance_names_a_few_measures_not_all(
    app: ActionTrail, governance: Actor
) -> None:
    rec_id = raise_recommendation(app, governance)
    measures = [c.MeasureIn(name=f"m{i}", numerator=1, denominator=99) for i in range(50)]
    with pytest.raises(errors.InvalidInput) as refused:
        app.execute(
            c.RecordAssurance(
                recommendation_id=rec_id,
                kind=AssuranceKind.DIP_SAMPLE,
                dated=date(2024, 1, 8),
                sample_size=16,
                summary="Too many",
                measures=measures,
            ),
            governance,
        )
    assert (
        str(refused.value)
        == "measures 'm0', 'm1', 'm2' and 47 more count more than the sample of 16"
    )


def test_changes_of_standing_carry_their_effective_date(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)  # raised on 2 October 2023
    info = rejects(
        errors.BeforeRaised,
        c.ChangeRecommendationStatus(
            recommendation_id=rec_id,
            status=RecommendationStatus.IN_PROGRESS,
            reason="Started",
            effective_on=date(2023, 10, 1),
        ),
        governance,
    )
    assert "before recommendation 1 was raised (2023-10-02)" in str(info.value)
    respond(app, rec_id, governance)
    for command in (
        c.ChangeRecommendationStatus(
            recommendation_id=rec_id,
            status=RecommendationStatus.IN_PROGRESS,
            reason="Started",
            effective_on=date(2023, 12, 1),
        ),
        c.CloseRecommendation(
            recommendation_id=rec_id, evidence="e", reason="r", effective_on=date(2024, 1, 8)
        ),
        c.ReopenRecommendation(recommendation_id=rec_id, reason="r", effective_on=date(2024, 2, 1)),
    ):
        app.execute(command, governance)
    app.execute(
        c.CloseRecommendation(
            recommendation_id=rec_id, evidence="e", reason="r", effective_on=date(2024, 3, 1)
        ),
        governance,
    )
    early = c.ReopenRecommendation(
        recommendation_id=rec_id, reason="r", effective_on=date(2024, 2, 29)
    )
    info = rejects(errors.OutOfOrder, early, governance)
    assert "before recommendation 1 was closed (2024-03-01)" in str(info.value)
    history = app.history(rec_id, governance, Recommendation)
    assert [e.effective for _, e in history[-4:-1]] == [
        date(2023, 12, 1),
        date(2024, 1, 8),
        date(2024, 2, 1),
    ]


def test_a_back_dated_status_change_is_slotted_in_but_not_into_a_closed_spell(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)  # raised on 2 October 2023
    respond(app, rec_id, governance)  # dated 1 December 2023

    def status(day: date, status: RecommendationStatus, rag: Rag | None) -> c.Command:
        return c.ChangeRecommendationStatus(
            recommendation_id=rec_id, status=status, rag=rag, reason="r", effective_on=day
        )

    app.execute(status(date(2024, 4, 30), RecommendationStatus.IMPLEMENTED, Rag.GREEN), governance)
    back = app.execute(
        status(date(2023, 12, 15), RecommendationStatus.IN_PROGRESS, Rag.AMBER), governance
    )
    assert back.note == "recorded; the current status stays implemented/green, effective 2024-04-30"
    rec = app.get(rec_id, governance, Recommendation)
    assert (rec.status, rec.rag, rec.status_since) == (
        RecommendationStatus.IMPLEMENTED,
        Rag.GREEN,
        date(2024, 4, 30),
    )
    assert [e.effective_on for e in rec.status_history] == [date(2023, 12, 15), date(2024, 4, 30)]

    early_close = c.CloseRecommendation(
        recommendation_id=rec_id, evidence="e", reason="r", effective_on=date(2024, 4, 29)
    )
    info = rejects(errors.OutOfOrder, early_close, governance)
    assert "before recommendation 1 became implemented (2024-04-30)" in str(info.value)
    for command in (
        c.CloseRecommendation(
            recommendation_id=rec_id, evidence="e", reason="r", effective_on=date(2024, 5, 1)
        ),
        c.ReopenRecommendation(recommendation_id=rec_id, reason="r", effective_on=date(2024, 6, 1)),
    ):
        app.execute(command, governance)
    info = rejects(
        errors.OutOfOrder,
        status(date(2024, 5, 15), RecommendationStatus.ASSURED, None),
        governance,
    )
    assert "was closed on 2024-05-01 and still closed on 2024-05-15" in str(info.value)
    before_closing = app.execute(
        status(date(2024, 4, 30), RecommendationStatus.ASSURED, Rag.GREEN), governance
    )
    assert (
        before_closing.note
        == "recorded; the current status stays in-progress/green, effective 2024-06-01"
    )


def test_responses_and_assurance_are_not_dated_before_the_recommendation_was_raised(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    rec_id = raise_recommendation(app, governance)  # raised on 2 October 2023
    early = c.RecordResponse(recommendation_id=rec_id, text="x", dated=date(2023, 10, 1))
    info = rejects(errors.BeforeRaised, early, governance)
    assert "dated 2023-10-01 is before recommendation 1 was raised (2023-10-02)" in str(info.value)
    measures = [c.MeasureIn(name="health invited", numerator=1, denominator=2)]
    assurance = c.RecordAssurance(
        recommendation_id=rec_id,
        kind=AssuranceKind.DIP_SAMPLE,
        dated=date(2023, 9, 30),
        sample_size=2,
        measures=measures,
        summary="s",
    )
    rejects(errors.BeforeRaised, assurance, governance)


def test_responses_follow_their_dates_and_a_correction_finds_its_response_by_number(
    app: ActionTrail, governance: Actor
) -> None:
    rec_id = raise_recommendation(app, governance)
    for text, dated in (("Later", date(2024, 1, 8)), ("Earlier", date(2023, 12, 1))):
        app.execute(c.RecordResponse(recommendation_id=rec_id, text=text, dated=dated), governance)
    app.execute(
        c.CorrectResponse(recommendation_id=rec_id, number=1, text="Later, corrected", reason="r"),
        governance,
    )
    rec = app.get(rec_id, governance, Recommendation)
    assert [(r.number, r.text) for r in rec.responses] == [(2, "Earlier"), (1, "Later, corrected")]
    then = app.state_at(rec_id, governance, Recommendation, as_of=date(2023, 12, 31))
    assert then is not None
    assert [(r.number, r.text) for r in then.responses] == [(2, "Earlier")]
