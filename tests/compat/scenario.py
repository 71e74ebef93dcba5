"""The scenario stored in ``events-0.1.db``: every event type of version 0.1, at fixed times.

Regenerate (only when adding a new fixture for a new version, never to overwrite an old one):
``python -m tests.compat.scenario_0_2 tests/compat/events-0.N.db`` (see ``scenario_0_2``)
"""

import sys
from datetime import UTC, date, datetime
from uuid import UUID

from freezegun import freeze_time

from application import commands as c
from application.service import ActionTrail
from domain.codes import (
    ActionSourceKind,
    AssuranceKind,
    Decision,
    MeetingFormat,
    MeetingKind,
    QualityRating,
    Rag,
    RecommendationSourceKind,
    RecommendationStatus,
    Role,
)
from domain.values import Actor

GOVERNANCE = Actor("gov-1", Role.GOVERNANCE)
HEALTH = Actor("health-1", Role.AGENCY, "health")


def record(app: ActionTrail) -> dict[str, UUID]:
    """Record the scenario; answers the ids of the aggregates it made."""
    ids: dict[str, UUID] = {}

    def run(command: c.Command, by: Actor = GOVERNANCE) -> UUID:
        return app.execute(command, by).id

    with freeze_time("2023-06-13 09:45:00"):
        m = ids["meeting"] = run(
            c.RequestMeeting(
                command_id="m-1",
                case_ref="CASE-0001",
                concern_raised_at=datetime(2023, 6, 13, 9, 30, tzinfo=UTC),
                kind=MeetingKind.CHILD_PROTECTION,
                team="Assessment North",
            )
        )
        run(c.InviteAgency(command_id="m-2", meeting_id=m, agency="police"))
        run(c.InviteAgency(command_id="m-3", meeting_id=m, agency="health", role="mash-nurse"))
        run(
            c.RescheduleMeeting(
                command_id="m-4",
                meeting_id=m,
                scheduled_for=datetime(2023, 6, 14, 10, tzinfo=UTC),
                reason="Police availability",
            )
        )
    with freeze_time("2023-06-14 12:00:00"):
        run(
            c.HoldMeeting(
                command_id="m-5",
                meeting_id=m,
                held_at=datetime(2023, 6, 14, 10, tzinfo=UTC),
                format=MeetingFormat.VIRTUAL,
            )
        )
        run(c.RecordAttendance(command_id="m-6", meeting_id=m, agency="police", attended=True))
        run(
            c.RecordAttendance(
                command_id="m-7",
                meeting_id=m,
                agency="health",
                role="mash-nurse",
                attended=False,
                note="Apologies",
            )
        )
        run(
            c.RecordDecision(
                command_id="m-8",
                meeting_id=m,
                decision=Decision.SECTION_47,
                rationale="Injury",
            )
        )
        ids["meeting_action"] = run(
            c.AgreeMeetingAction(
                command_id="m-9",
                meeting_id=m,
                agency="health",
                description="Chronology",
                due_on=date(2023, 6, 16),
            )
        )
    with freeze_time("2023-06-19 08:00:00"):
        run(
            c.ShareRecord(
                command_id="m-10",
                meeting_id=m,
                shared_at=datetime(2023, 6, 16, 15, tzinfo=UTC),
                agencies=["police", "health"],
            )
        )
    with freeze_time("2023-10-20 10:00:00"):
        run(
            c.AssessRecordQuality(
                command_id="m-11",
                meeting_id=m,
                rating=QualityRating.LACKS_CLARITY,
                audit_ref="SM-AUDIT-2023",
                notes="Actions lack owners",
            )
        )
        cancelled = ids["cancelled_meeting"] = run(
            c.RequestMeeting(
                command_id="m-12",
                case_ref="CASE-0002",
                concern_raised_at=datetime(2023, 10, 20, 9, tzinfo=UTC),
                kind=MeetingKind.MISSING,
                team="MASH",
            )
        )
        run(c.CancelMeeting(command_id="m-13", meeting_id=cancelled, reason="Child found"))

    with freeze_time("2023-10-23 09:00:00"):
        r = ids["recommendation"] = run(
            c.RaiseRecommendation(
                command_id="r-1",
                source=c.RecommendationSourceIn(
                    kind=RecommendationSourceKind.AUDIT,
                    ref="SM-AUDIT-2023",
                    title="Strategy meetings audit",
                ),
                number=2,
                text="Health to be invited to all strategy meetings",
                raised_on=date(2023, 10, 23),
            )
        )
    with freeze_time("2023-12-05 11:15:00"):
        run(
            c.RecordResponse(
                command_id="r-2",
                recommendation_id=r,
                text="MASH nurses coordinate",
                dated=date(2023, 12, 1),
                agency="health",
            )
        )
        run(
            c.CorrectResponse(
                command_id="r-3",
                recommendation_id=r,
                number=1,
                text="MASH nurses coordinate health attendance",
                reason="Clarified",
            )
        )
        run(
            c.ChangeRecommendationStatus(
                command_id="r-4",
                recommendation_id=r,
                status=RecommendationStatus.IN_PROGRESS,
                rag=Rag.AMBER,
                reason="Process agreed",
            )
        )
        ids["recommendation_action"] = run(
            c.AgreeRecommendationAction(
                command_id="r-5",
                recommendation_id=r,
                agency="health",
                description="Dip sample health invitations",
                due_on=date(2024, 1, 31),
            )
        )
    with freeze_time("2024-01-08 16:00:00"):
        run(
            c.RecordAssurance(
                command_id="r-6",
                recommendation_id=r,
                kind=AssuranceKind.DIP_SAMPLE,
                dated=date(2024, 1, 8),
                sample_size=16,
                measures=[c.MeasureIn(name="health invited", numerator=14, denominator=16)],
                summary="Health invited to 14 of 16",
            )
        )
        run(
            c.CompleteAction(
                command_id="r-7",
                action_id=ids["recommendation_action"],
                completed_on=date(2024, 1, 8),
                evidence="Dip sample",
            ),
            HEALTH,
        )
        run(
            c.CloseRecommendation(
                command_id="r-8",
                recommendation_id=r,
                evidence="Dip sample",
                reason="Assured",
            )
        )
        run(c.ReopenRecommendation(command_id="r-9", recommendation_id=r, reason="Re-audit"))

    with freeze_time("2023-11-01 09:00:00"):
        a = ids["action"] = run(
            c.AssignAction(
                command_id="a-1",
                source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref="MARAC-7"),
                agency="health",
                owner_role="named-nurse",
                description="Flag on GP record",
                due_on=date(2023, 12, 1),
            )
        )
        run(c.NoteProgress(command_id="a-2", action_id=a, note="GP contacted"), HEALTH)
        run(
            c.ProposeDueDate(
                command_id="a-3",
                action_id=a,
                due_on=date(2024, 1, 15),
                reason="GP system change",
            ),
            HEALTH,
        )
        run(
            c.ReviseDueDate(
                command_id="a-4",
                action_id=a,
                due_on=date(2024, 1, 15),
                reason="Approved",
            )
        )
        run(c.ReassignAction(command_id="a-5", action_id=a, agency="police", reason="Police lead"))
        run(c.CancelAction(command_id="a-6", action_id=a, reason="Superseded"))
        run(c.ReopenAction(command_id="a-7", action_id=a, reason="Not superseded after all"))
    return ids


if __name__ == "__main__":
    from infrastructure.bootstrap import build_application
    from infrastructure.config import Settings

    application = build_application(Settings(database_url=f"sqlite:///{sys.argv[1]}"))
    print(record(application))
    application.close()
