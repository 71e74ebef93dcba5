"""Every StrategyMeeting invariant of the handbook, on both stores."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from application import commands as c
from application.service import ActionTrail
from domain import errors
from domain.codes import Decision, MeetingFormat, MeetingStatus, QualityRating
from domain.meeting import StrategyMeeting
from domain.values import Actor
from tests.builders import CONCERN, HELD, held_meeting, request_meeting
from tests.core.conftest import Rejects


def test_full_meeting_lifecycle(app: ActionTrail, governance: Actor) -> None:
    meeting_id = held_meeting(app, governance, agencies=("police", "health"))
    app.execute(
        c.RecordAttendance(meeting_id=meeting_id, agency="police", attended=True), governance
    )
    app.execute(
        c.RecordAttendance(
            meeting_id=meeting_id,
            agency="health",
            role="mash-nurse",
            attended=False,
            note="apologies sent",
        ),
        governance,
    )
    app.execute(
        c.RecordDecision(meeting_id=meeting_id, decision=Decision.SECTION_47, rationale="Bruising"),
        governance,
    )
    app.execute(
        c.ShareRecord(
            meeting_id=meeting_id, shared_at=HELD + timedelta(days=1), agencies=["police", "health"]
        ),
        governance,
    )
    app.execute(
        c.AssessRecordQuality(
            meeting_id=meeting_id, rating=QualityRating.LACKS_CLARITY, audit_ref="SM-AUDIT-2023"
        ),
        governance,
    )
    meeting = app.get(meeting_id, governance, StrategyMeeting)
    assert meeting.status is MeetingStatus.HELD
    assert [(a.agency, a.attended) for a in meeting.attendance] == [
        ("police", True),
        ("health", False),
    ]
    assert meeting.decisions[0].decision is Decision.SECTION_47
    assert meeting.record_shared_at == HELD + timedelta(days=1)
    assert meeting.quality_assessments[0].assessed_by == governance.user_id
    assert meeting.version == 9


def test_nothing_happens_to_a_cancelled_meeting(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = request_meeting(app, governance)
    app.execute(c.CancelMeeting(meeting_id=meeting_id, reason="Family moved area"), governance)
    for command in (
        c.InviteAgency(meeting_id=meeting_id, agency="police"),
        c.HoldMeeting(meeting_id=meeting_id, held_at=HELD, format=MeetingFormat.PHONE),
        c.RescheduleMeeting(meeting_id=meeting_id, scheduled_for=HELD, reason="Room"),
        c.CancelMeeting(meeting_id=meeting_id, reason="again"),
    ):
        rejects(errors.MeetingCancelled, command, governance)


def test_attendance_and_decisions_only_after_the_meeting_is_held(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = request_meeting(app, governance)
    app.execute(c.InviteAgency(meeting_id=meeting_id, agency="police"), governance)
    rejects(
        errors.MeetingNotHeld,
        c.RecordAttendance(meeting_id=meeting_id, agency="police", attended=True),
        governance,
    )
    rejects(
        errors.MeetingNotHeld,
        c.RecordDecision(meeting_id=meeting_id, decision=Decision.JOINT_VISIT, rationale="x"),
        governance,
    )


def test_an_agency_is_invited_once_per_sub_role(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = held_meeting(app, governance, agencies=("police",))
    app.execute(c.InviteAgency(meeting_id=meeting_id, agency="health", role="gp"), governance)
    app.execute(c.InviteAgency(meeting_id=meeting_id, agency="health"), governance)

    again = rejects(
        errors.AlreadyInvited, c.InviteAgency(meeting_id=meeting_id, agency="police"), governance
    )
    as_gp = rejects(
        errors.AlreadyInvited,
        c.InviteAgency(meeting_id=meeting_id, agency="health", role="gp"),
        governance,
    )

    assert str(again.value) == "police is already invited to this meeting"
    assert str(as_gp.value) == "health as gp is already invited to this meeting"


def test_attendance_only_for_an_invited_agency(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = held_meeting(app, governance, agencies=("police",))
    info = rejects(
        errors.AgencyNotInvited,
        c.RecordAttendance(meeting_id=meeting_id, agency="education", attended=True),
        governance,
    )
    assert "invitation first" in str(info.value)
    app.execute(c.InviteAgency(meeting_id=meeting_id, agency="education"), governance)
    app.execute(
        c.RecordAttendance(meeting_id=meeting_id, agency="education", attended=True), governance
    )


def test_record_cannot_be_shared_before_the_meeting_is_held(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = request_meeting(app, governance)
    rejects(
        errors.MeetingNotHeld,
        c.ShareRecord(meeting_id=meeting_id, shared_at=HELD, agencies=["police"]),
        governance,
    )
    app.execute(
        c.HoldMeeting(meeting_id=meeting_id, held_at=HELD, format=MeetingFormat.PHONE), governance
    )
    rejects(
        errors.InvalidInput,
        c.ShareRecord(
            meeting_id=meeting_id, shared_at=HELD - timedelta(hours=1), agencies=["police"]
        ),
        governance,
    )


def test_a_meeting_is_held_once_and_then_not_rescheduled_or_cancelled(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = held_meeting(app, governance)
    rejects(
        errors.MeetingAlreadyHeld,
        c.HoldMeeting(meeting_id=meeting_id, held_at=HELD, format=MeetingFormat.PHONE),
        governance,
    )
    rejects(
        errors.MeetingAlreadyHeld, c.CancelMeeting(meeting_id=meeting_id, reason="x"), governance
    )
    rejects(
        errors.MeetingAlreadyHeld,
        c.RescheduleMeeting(meeting_id=meeting_id, scheduled_for=HELD, reason="x"),
        governance,
    )


def test_done_things_cannot_lie_in_the_future(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    with freeze_time("2023-06-14 12:00:00"):
        rejects(
            errors.FutureDate,
            c.RequestMeeting(
                case_ref="C",
                concern_raised_at=datetime(2023, 6, 15, tzinfo=UTC),
                kind="other",
                team="T",  # type: ignore[arg-type]
            ),
            governance,
        )
        meeting_id = request_meeting(app, governance)
        rejects(
            errors.FutureDate,
            c.HoldMeeting(
                meeting_id=meeting_id,
                held_at=datetime(2023, 6, 14, 12, 1, tzinfo=UTC),
                format=MeetingFormat.PHONE,
            ),
            governance,
        )


def test_held_before_the_concern_is_rejected(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = request_meeting(app, governance)
    rejects(
        errors.InvalidInput,
        c.HoldMeeting(
            meeting_id=meeting_id, held_at=CONCERN - timedelta(days=1), format=MeetingFormat.PHONE
        ),
        governance,
    )


def test_unknown_agency_and_sub_role_codes_are_rejected(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = request_meeting(app, governance)
    info = rejects(
        errors.UnknownCode, c.InviteAgency(meeting_id=meeting_id, agency="fire"), governance
    )
    assert "known agencies" in str(info.value)
    rejects(
        errors.UnknownCode,
        c.InviteAgency(meeting_id=meeting_id, agency="health", role="surgeon"),
        governance,
    )


def test_agreeing_an_action_creates_it_and_links_it_in_one_write(
    app: ActionTrail, governance: Actor
) -> None:
    from domain.action import AgencyAction

    meeting_id = held_meeting(app, governance)
    head = app.head()
    result = app.execute(
        c.AgreeMeetingAction(
            meeting_id=meeting_id,
            agency="police",
            description="Visit jointly",
            due_on=HELD.date() + timedelta(days=2),
            agreed_on=HELD.date(),
        ),
        governance,
    )
    assert app.head() == head + 2
    action = app.get(result.id, governance, AgencyAction)
    assert action.source.ref == str(meeting_id)
    assert action.agency == "police"
    meeting = app.get(meeting_id, governance, StrategyMeeting)
    assert meeting.action_ids == [result.id]


def test_an_action_agreed_at_a_meeting_is_not_agreed_before_it_was_held(
    app: ActionTrail, governance: Actor, rejects: Rejects
) -> None:
    meeting_id = held_meeting(app, governance)
    early = c.AgreeMeetingAction(
        meeting_id=meeting_id,
        agency="police",
        description="Visit jointly",
        due_on=HELD.date() + timedelta(days=2),
        agreed_on=HELD.date() - timedelta(days=1),
    )
    info = rejects(errors.AgreedBeforeMeeting, early, governance)
    assert "before the meeting was held (2023-06-14)" in str(info.value)
