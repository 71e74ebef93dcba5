"""The ``actiontrail`` command line."""

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from application import commands as c
from domain.codes import Decision, MeetingFormat, MeetingKind, Role
from domain.meeting import StrategyMeeting
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings

DEMO_ACTOR = Actor("demo-governance", Role.GOVERNANCE)


def demo(settings: Settings, as_json: bool) -> int:
    """Record one strategy meeting end to end and print its history."""
    app = build_application(settings)
    try:
        meeting = app.execute(
            c.RequestMeeting(
                case_ref="CASE-DEMO-1",
                concern_raised_at=datetime(2023, 6, 13, 9, 30, tzinfo=UTC),
                kind=MeetingKind.CHILD_PROTECTION,
                team="Assessment North",
            ),
            DEMO_ACTOR,
        )
        steps: list[c.Command] = [
            *(
                c.InviteAgency(meeting_id=meeting.id, agency=a)
                for a in ("childrens-social-care", "police")
            ),
            c.InviteAgency(meeting_id=meeting.id, agency="health", role="mash-nurse"),
            c.HoldMeeting(
                meeting_id=meeting.id,
                held_at=datetime(2023, 6, 14, 10, 0, tzinfo=UTC),
                format=MeetingFormat.VIRTUAL,
            ),
            *(
                c.RecordAttendance(meeting_id=meeting.id, agency=a, attended=True)
                for a in ("childrens-social-care", "police", "health")
            ),
            c.RecordDecision(
                meeting_id=meeting.id,
                decision=Decision.SECTION_47,
                rationale="Injury unexplained; joint visit needed",
            ),
            c.AgreeMeetingAction(
                meeting_id=meeting.id,
                agency="health",
                description="Share health chronology with the social worker",
                due_on=date(2023, 6, 16),
            ),
            c.ShareRecord(
                meeting_id=meeting.id,
                shared_at=datetime(2023, 6, 15, 16, 0, tzinfo=UTC),
                agencies=["childrens-social-care", "police", "health"],
            ),
        ]
        for step in steps:
            app.execute(step, DEMO_ACTOR)
        history = app.history(meeting.id, DEMO_ACTOR, StrategyMeeting)
        if as_json:
            print(json.dumps([entry.model_dump(mode="json") for entry in history], indent=2))
        else:
            print(f"History of strategy meeting {meeting.id} ({settings.database_url}):")
            for entry in history:
                effective = f" effective {entry.effective}" if entry.effective else ""
                print(
                    f"  #{entry.position:<4} v{entry.version:<3} {entry.type:<36} "
                    f"recorded {entry.recorded_at:%Y-%m-%d %H:%M:%S}{effective} "
                    f"by {entry.actor.user}"
                )
    finally:
        app.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="actiontrail", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo_parser = sub.add_parser("demo", help="record a strategy meeting and print its history")
    demo_parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    settings = Settings()
    if args.command == "demo":
        return demo(settings, args.json)
    return 2


if __name__ == "__main__":
    sys.exit(main())
