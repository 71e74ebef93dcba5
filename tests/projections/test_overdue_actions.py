"""Overdue actions as of a date, as known at a time, against hand-computed expectations."""

from datetime import date
from uuid import UUID

from application import commands as c
from application.service import ActionTrail
from domain.values import Actor
from projections.service import ReadService
from tests.builders import action, run, utc


def overdue(reads: ReadService, as_of: date, **filters: object) -> list[tuple[object, ...]]:
    report = reads.overdue_actions(as_of, **filters)  # type: ignore[arg-type]
    assert report.as_of == as_of
    return [
        (
            row.action_id,
            row.agency,
            row.due_on,
            row.days_overdue,
            row.working_days_overdue,
            row.revisions,
        )
        for row in report.rows
    ]


def test_revised_then_completed_late(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    action_id = action(app, governance, on=utc(2023, 10, 2), due_on=date(2023, 10, 20))
    run(
        app,
        governance,
        utc(2023, 10, 10),
        c.ReviseDueDate(action_id=action_id, due_on=date(2023, 10, 25), reason="Waiting on GP"),
    )
    run(
        app,
        governance,
        utc(2023, 11, 2),
        c.CompleteAction(action_id=action_id, completed_on=date(2023, 10, 30), evidence="Done"),
    )

    # Before its due date, and on it, an action is not overdue.
    assert overdue(reads, date(2023, 10, 9)) == []
    assert overdue(reads, date(2023, 10, 25)) == []
    # Revised on 10 October: from then on 25 October is the due date in force.
    assert overdue(reads, date(2023, 10, 23)) == []
    assert overdue(reads, date(2023, 10, 27)) == [
        (action_id, "health", date(2023, 10, 25), 2, 2, 1)
    ]
    # Completed on 30 October (recorded on 2 November): not overdue as of 30 or 31 October.
    assert overdue(reads, date(2023, 10, 30)) == []
    assert overdue(reads, date(2023, 10, 31)) == []

    (row,) = reads.overdue_actions(date(2023, 10, 27)).rows
    assert row.original_due_on == date(2023, 10, 20)
    assert (row.source_kind, row.source_ref) == ("marac", "MARAC-7")
    assert row.description == "Flag the case on the GP record"


def test_as_known_at_a_time_before_a_late_entry(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    action_id = action(app, governance, on=utc(2023, 10, 2), due_on=date(2023, 10, 20))
    run(
        app,
        governance,
        utc(2023, 10, 10),
        c.ReviseDueDate(action_id=action_id, due_on=date(2023, 10, 25), reason="Waiting on GP"),
    )
    run(
        app,
        governance,
        utc(2023, 11, 2),
        c.CompleteAction(action_id=action_id, completed_on=date(2023, 10, 30), evidence="Done"),
    )

    # As the records stood on 1 November, nobody knew yet that it was completed on 30 October.
    assert overdue(reads, date(2023, 10, 31), known_at=utc(2023, 11, 1, 12)) == [
        (action_id, "health", date(2023, 10, 25), 6, 4, 1)
    ]
    # As they stood on 5 October, before the revision: due on 20 October, overdue on the 23rd.
    assert overdue(reads, date(2023, 10, 23), known_at=utc(2023, 10, 5)) == [
        (action_id, "health", date(2023, 10, 20), 3, 1, 0)
    ]
    # Today's records say otherwise on both counts.
    assert overdue(reads, date(2023, 10, 31)) == []
    assert overdue(reads, date(2023, 10, 23)) == []
    # Before the action was recorded at all, it is unknown.
    assert overdue(reads, date(2023, 10, 23), known_at=utc(2023, 10, 1)) == []
    # Exactly at the completion's recorded time, the completion is known.
    assert overdue(reads, date(2023, 10, 31), known_at=utc(2023, 11, 2)) == []


def test_cancelled_and_reopened(app: ActionTrail, governance: Actor, reads: ReadService) -> None:
    action_id = action(app, governance, on=utc(2023, 10, 2), due_on=date(2023, 10, 13))
    run(app, governance, utc(2023, 10, 16), c.CancelAction(action_id=action_id, reason="Dup"))
    run(app, governance, utc(2023, 10, 20), c.ReopenAction(action_id=action_id, reason="Not dup"))

    assert overdue(reads, date(2023, 10, 13)) == []
    assert overdue(reads, date(2023, 10, 14)) == [
        (action_id, "health", date(2023, 10, 13), 1, 0, 0)
    ]
    # Cancelled on the 16th takes effect that day; reopened on the 20th likewise.
    assert overdue(reads, date(2023, 10, 16)) == []
    assert overdue(reads, date(2023, 10, 19)) == []
    assert overdue(reads, date(2023, 10, 20)) == [
        (action_id, "health", date(2023, 10, 13), 7, 5, 0)
    ]


def test_agency_in_force_as_of_the_date(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    action_id = action(
        app, governance, on=utc(2023, 10, 2), due_on=date(2023, 10, 11), agency="police"
    )
    other = action(app, governance, on=utc(2023, 10, 2), due_on=date(2023, 10, 12))
    run(
        app,
        governance,
        utc(2023, 10, 16),
        c.ReassignAction(action_id=action_id, agency="education", reason="School lead"),
    )

    assert [r[0] for r in overdue(reads, date(2023, 10, 13), agency="police")] == [action_id]
    assert overdue(reads, date(2023, 10, 17), agency="police") == []
    assert overdue(reads, date(2023, 10, 17), agency="education") == [
        (action_id, "education", date(2023, 10, 11), 6, 4, 0)
    ]
    assert [r[0] for r in overdue(reads, date(2023, 10, 17))] == [action_id, other]


def test_working_days_skip_bank_holidays(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    action_id: UUID = action(app, governance, on=utc(2023, 12, 1), due_on=date(2023, 12, 22))

    # 25 and 26 December are bank holidays, 23-24 and 30-31 a weekend, 1 January 2024 too.
    assert overdue(reads, date(2023, 12, 29)) == [
        (action_id, "health", date(2023, 12, 22), 7, 3, 0)
    ]
    assert overdue(reads, date(2024, 1, 2)) == [(action_id, "health", date(2023, 12, 22), 11, 4, 0)]
