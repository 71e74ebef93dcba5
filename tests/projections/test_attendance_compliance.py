"""Attendance compliance, from the seed's dip sample and beyond, as of now and as known at T."""

from datetime import date
from uuid import UUID

from application import commands as c
from application.service import ActionTrail
from domain.values import Actor
from projections.models import AttendanceGroup
from projections.service import ReadService
from tests.builders import meeting, run, utc

STATUTORY = ("childrens-social-care", "police", "health")
WITHOUT_HEALTH = ("childrens-social-care", "police")


def agencies(group: AttendanceGroup) -> dict[str, tuple[object, ...]]:
    return {
        a.agency: (a.invited, a.invited_pct, a.attended, a.attended_pct_of_invited)
        for a in group.agencies
    }


def seed_month(app: ActionTrail, by: Actor) -> list[UUID]:
    """The dip sample: 16 meetings in December 2023; health invited to 14 and at all 14;
    police and children's services at all 16. Ten in the North team, six in the South, where
    health missed two invitations; education invited once, sending apologies."""
    ids = []
    for n in range(16):
        day = 1 + n
        agencies_invited = WITHOUT_HEALTH if n in (11, 13) else STATUTORY
        extra = ("education",) if n == 3 else ()
        ids.append(
            meeting(
                app,
                by,
                concern=utc(2023, 12, day, 8),
                held=utc(2023, 12, day, 14),
                invited=agencies_invited + extra,
                attended=agencies_invited,
                apologies=extra,
                team="North" if n < 10 else "South",
            )
        )
    return ids


def test_seed_dip_sample_by_month(app: ActionTrail, governance: Actor, reads: ReadService) -> None:
    seed_month(app, governance)
    # Not counted: held the month before, never held, or cancelled.
    meeting(app, governance, concern=utc(2023, 11, 29), held=utc(2023, 11, 30), invited=STATUTORY)
    meeting(app, governance, concern=utc(2023, 12, 20), held=None, invited=STATUTORY)
    cancelled = meeting(app, governance, concern=utc(2023, 12, 21), held=None)
    run(app, governance, utc(2023, 12, 21, 12), c.CancelMeeting(meeting_id=cancelled, reason="x"))

    report = reads.attendance_compliance(date(2023, 12, 1), date(2023, 12, 31))
    (december,) = report.groups
    assert december.period == "2023-12"
    assert december.meetings_held == 16
    assert agencies(december) == {
        "childrens-social-care": (16, 100.0, 16, 100.0),
        "police": (16, 100.0, 16, 100.0),
        "health": (14, 87.5, 14, 100.0),
        "education": (1, 6.3, 0, 0.0),
    }
    assert [a.agency for a in december.agencies] == [*STATUTORY, "education"]
    assert (december.all_statutory_invited, december.all_statutory_invited_pct) == (14, 87.5)
    assert (december.all_statutory_attended, december.all_statutory_attended_pct) == (14, 87.5)


def test_by_team_and_empty_months(app: ActionTrail, governance: Actor, reads: ReadService) -> None:
    seed_month(app, governance)

    by_team = reads.attendance_compliance(date(2023, 12, 1), date(2023, 12, 31), "team")
    north, south = by_team.groups
    assert (north.team, north.meetings_held, south.team, south.meetings_held) == (
        "North",
        10,
        "South",
        6,
    )
    assert agencies(north)["health"] == (10, 100.0, 10, 100.0)
    assert agencies(south)["health"] == (4, 66.7, 4, 100.0)
    assert south.all_statutory_invited == 4

    months = reads.attendance_compliance(date(2023, 11, 1), date(2024, 1, 31)).groups
    assert [(g.period, g.meetings_held) for g in months] == [
        ("2023-11", 0),
        ("2023-12", 16),
        ("2024-01", 0),
    ]
    november = months[0]
    assert agencies(november)["health"] == (0, None, 0, None)
    assert november.all_statutory_invited_pct is None


def test_a_late_entry_changes_the_answer_as_known_at(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    ids = seed_month(app, governance)
    late = meeting(
        app,
        governance,
        concern=utc(2023, 12, 28, 8),
        held=utc(2023, 12, 28, 14),
        invited=WITHOUT_HEALTH,
        attended=WITHOUT_HEALTH,
    )
    # On 10 January, after the dip sample of 8 January, health's invitation and attendance at
    # the meeting of 28 December are entered late, and one apology is corrected to attended.
    run(
        app,
        governance,
        utc(2024, 1, 10),
        c.InviteAgency(meeting_id=late, agency="health"),
        c.RecordAttendance(meeting_id=late, agency="health", attended=True),
        c.RecordAttendance(meeting_id=ids[0], agency="police", attended=False),
    )
    december = (date(2023, 12, 1), date(2023, 12, 31))

    (then,) = reads.attendance_compliance(*december, known_at=utc(2024, 1, 8)).groups
    assert then.meetings_held == 17
    assert agencies(then)["health"] == (14, 82.4, 14, 100.0)
    assert agencies(then)["police"] == (17, 100.0, 17, 100.0)
    assert then.all_statutory_attended == 14

    (now,) = reads.attendance_compliance(*december).groups
    assert agencies(now)["health"] == (15, 88.2, 15, 100.0)
    assert agencies(now)["police"] == (17, 100.0, 16, 94.1)
    assert now.all_statutory_attended == 14

    # Before the meetings of December were recorded, nothing was known of them.
    (before,) = reads.attendance_compliance(*december, known_at=utc(2023, 11, 30)).groups
    assert before.meetings_held == 0


def test_a_meeting_belongs_to_its_london_date(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    meeting(
        app,
        governance,
        concern=utc(2023, 6, 30, 9),
        held=utc(2023, 6, 30, 23, 30),  # Saturday 1 July in London (BST)
        invited=STATUTORY,
        attended=STATUTORY,
    )
    june, july = reads.attendance_compliance(date(2023, 6, 1), date(2023, 7, 31)).groups
    assert (june.meetings_held, july.meetings_held) == (0, 1)
    assert july.all_statutory_attended == 1


def test_the_latest_day_a_meeting_was_held(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    """What the dashboard's default period ends with: meetings not held do not count."""
    assert reads.latest_held_on() is None
    seed_month(app, governance)
    meeting(app, governance, concern=utc(2024, 1, 20), held=None, invited=STATUTORY)
    assert reads.latest_held_on() == date(2023, 12, 16)
