"""Response history: responses with their effective and recorded dates, corrections, statuses."""

import uuid
from datetime import date

import pytest

from application import commands as c
from application.service import ActionTrail
from domain.codes import Rag, RecommendationSourceKind, RecommendationStatus
from domain.values import Actor
from projections.errors import NotFound
from projections.service import ReadService
from tests.builders import run, utc


def test_responses_corrections_and_status_changes(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    run(
        app,
        governance,
        utc(2023, 10, 2),
        c.RaiseRecommendation(
            source=c.RecommendationSourceIn(
                kind=RecommendationSourceKind.AUDIT, ref="SM-AUDIT-2023", title="Strategy meetings"
            ),
            number=2,
            text="Invite health to every strategy meeting",
            raised_on=date(2023, 10, 2),
        ),
    )
    (rec_id,) = {e.aggregate_id for e in reads.events_after(0, 10).events}
    # The response is dated 01.12.23 but typed in on 5 December.
    run(
        app,
        governance,
        utc(2023, 12, 5),
        c.RecordResponse(
            recommendation_id=rec_id, text="MASH nurses invited", dated=date(2023, 12, 1)
        ),
        c.ChangeRecommendationStatus(
            recommendation_id=rec_id,
            status=RecommendationStatus.IN_PROGRESS,
            rag=Rag.AMBER,
            reason="Response agreed",
        ),
    )
    run(
        app,
        governance,
        utc(2024, 1, 9),
        c.RecordResponse(
            recommendation_id=rec_id,
            text="Dip sample done",
            dated=date(2024, 1, 8),
            agency="health",
        ),
    )
    run(
        app,
        governance,
        utc(2024, 1, 10),
        c.CorrectResponse(
            recommendation_id=rec_id, number=1, text="MASH nurses invited daily", reason="Typo"
        ),
        c.CloseRecommendation(recommendation_id=rec_id, evidence="Dip sample", reason="Done"),
    )
    run(
        app,
        governance,
        utc(2024, 1, 11),
        c.ReopenRecommendation(recommendation_id=rec_id, reason="Re-audit"),
    )

    history = reads.response_history(rec_id)
    assert (history.number, history.text) == (2, "Invite health to every strategy meeting")
    first, second = history.responses
    assert (first.number, first.text, first.original_text, first.dated, first.recorded_at) == (
        1,
        "MASH nurses invited daily",
        "MASH nurses invited",
        date(2023, 12, 1),
        utc(2023, 12, 5),
    )
    assert first.by == governance.user_id
    assert [(x.text, x.reason, x.recorded_at) for x in first.corrections] == [
        ("MASH nurses invited daily", "Typo", utc(2024, 1, 10))
    ]
    assert (second.number, second.dated, second.agency, second.corrections) == (
        2,
        date(2024, 1, 8),
        "health",
        [],
    )
    assert [
        (s.change, s.status, s.rag, s.reason, s.recorded_at) for s in history.status_changes
    ] == [
        ("status-changed", "in-progress", "amber", "Response agreed", utc(2023, 12, 5)),
        ("closed", "closed", None, "Done", utc(2024, 1, 10)),
        ("reopened", "in-progress", None, "Re-audit", utc(2024, 1, 11)),
    ]


def test_an_unknown_recommendation_is_not_found(reads: ReadService) -> None:
    with pytest.raises(NotFound):
        reads.response_history(uuid.uuid4())
