"""Late and back-dated entries: facts apply in the order they took effect (the issue's cases)."""

from datetime import date

from application import commands as c
from application.service import ActionTrail
from domain.codes import RecommendationStatus
from domain.values import Actor
from projections.service import ReadService
from tests.builders import action, meeting, recorded_at, run, utc
from tests.projections.test_overdue_actions import overdue


def test_a_completion_entered_late_counts_from_its_date_whatever_came_between(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    # Assigned on 2 Oct due 10 Oct; on 12 Oct revised to 31 Oct; on 20 Oct completion dated 9 Oct.
    revised = action(app, governance, on=utc(2023, 10, 2), due_on=date(2023, 10, 10))
    reassigned = action(app, governance, on=utc(2023, 10, 2), due_on=date(2023, 10, 10))
    run(
        app,
        governance,
        utc(2023, 10, 12),
        c.ReviseDueDate(action_id=revised, due_on=date(2023, 10, 31), reason="Leave"),
        c.ReassignAction(action_id=reassigned, agency="police", reason="Police lead"),
    )
    done = utc(2023, 10, 20)
    for action_id in (revised, reassigned):
        run(
            app,
            governance,
            done,
            c.CompleteAction(action_id=action_id, completed_on=date(2023, 10, 9), evidence="x"),
        )

    assert overdue(reads, date(2023, 10, 11)) == []
    assert overdue(reads, date(2023, 11, 15)) == []
    # As the records stood before the completion was entered, both were overdue on 11 October.
    before = reads.overdue_actions(date(2023, 10, 11), known_at=utc(2023, 10, 19))
    assert {row.action_id for row in before.rows} == {revised, reassigned}
    # At the very moment the completion was recorded, it is known.
    assert reads.overdue_actions(date(2023, 10, 11), known_at=done).rows == []


def test_an_action_exists_from_the_day_it_was_agreed(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    with recorded_at(utc(2024, 2, 9)):
        action_id = app.execute(
            c.AssignAction(
                source=c.ActionSourceIn(kind="marac", ref="MARAC-9"),  # type: ignore[arg-type]
                agency="police",
                description="Check the address history",
                due_on=date(2024, 1, 19),
                agreed_on=date(2024, 1, 5),
            ),
            governance,
        ).id
    run(
        app,
        governance,
        utc(2024, 2, 9, 11),
        c.ReviseDueDate(
            action_id=action_id,
            due_on=date(2024, 1, 26),
            reason="Holiday",
            effective_on=date(2024, 1, 23),
        ),
        c.CancelAction(action_id=action_id, reason="Duplicate", effective_on=date(2024, 2, 1)),
    )

    assert overdue(reads, date(2024, 1, 22)) == [(action_id, "police", date(2024, 1, 19), 3, 1, 0)]
    assert overdue(reads, date(2024, 1, 29)) == [(action_id, "police", date(2024, 1, 26), 3, 1, 1)]
    assert overdue(reads, date(2024, 2, 2)) == []
    (row,) = reads.overdue_actions(date(2024, 1, 29)).rows
    assert row.agreed_on == date(2024, 1, 5)
    # Nothing was known of it before 9 February.
    assert reads.overdue_actions(date(2024, 1, 29), known_at=utc(2024, 2, 8)).rows == []


def test_a_reopening_dated_back_reopens_from_its_date(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    action_id = action(app, governance, on=utc(2023, 10, 2), due_on=date(2023, 10, 10))
    run(
        app,
        governance,
        utc(2023, 10, 5),
        c.CompleteAction(action_id=action_id, completed_on=date(2023, 10, 5), evidence="x"),
    )
    run(
        app,
        governance,
        utc(2023, 11, 1),
        c.ReopenAction(action_id=action_id, reason="No evidence", effective_on=date(2023, 10, 16)),
    )
    assert overdue(reads, date(2023, 10, 13)) == []
    assert [row[0] for row in overdue(reads, date(2023, 10, 17))] == [action_id]


def test_the_record_was_first_shared_on_the_earliest_date_known(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    # Held Wednesday 24 January 2024; a share entered as 27 January, then one entered on
    # 9 February saying the record was shared on 25 January.
    meeting_id = meeting(
        app,
        governance,
        concern=utc(2024, 1, 23),
        held=utc(2024, 1, 24),
        invited=["police"],
        shared=utc(2024, 1, 27),
    )
    run(
        app,
        governance,
        utc(2024, 2, 9),
        c.ShareRecord(meeting_id=meeting_id, shared_at=utc(2024, 1, 25), agencies=["police"]),
    )

    report = reads.meeting_timeliness(date(2024, 1, 1), date(2024, 1, 31))
    (row,) = report.rows
    assert (row.record_shared_at, row.working_days_to_record_shared) == (utc(2024, 1, 25), 1)
    known = reads.meeting_timeliness(date(2024, 1, 1), date(2024, 1, 31), known_at=utc(2024, 2, 8))
    (before,) = known.rows
    assert before.record_shared_at == utc(2024, 1, 27)


def test_status_history_in_the_order_it_took_effect(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    with recorded_at(utc(2023, 10, 23)):
        rec_id = app.execute(
            c.RaiseRecommendation(
                source=c.RecommendationSourceIn(kind="audit", ref="A", title="Audit"),  # type: ignore[arg-type]
                number=1,
                text="Invite health",
                raised_on=date(2023, 10, 2),
            ),
            governance,
        ).id
    run(
        app,
        governance,
        utc(2024, 1, 8),
        c.ChangeRecommendationStatus(
            recommendation_id=rec_id, status=RecommendationStatus.IMPLEMENTED, reason="Done"
        ),
        c.ChangeRecommendationStatus(
            recommendation_id=rec_id,
            status=RecommendationStatus.IN_PROGRESS,
            reason="Started",
            effective_on=date(2023, 12, 1),
        ),
    )
    changes = reads.response_history(rec_id).status_changes
    assert [(ch.status, ch.effective_on, ch.recorded_at) for ch in changes] == [
        ("in-progress", date(2023, 12, 1), utc(2024, 1, 8)),
        ("implemented", date(2024, 1, 8), utc(2024, 1, 8)),
    ]
