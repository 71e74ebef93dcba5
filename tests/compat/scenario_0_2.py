"""The scenario stored in ``events-0.2.db``: the 0.1 scenario, then the effective dates of 0.2.

The 0.1 commands now write version 2 events with default dates; the late entries below give
their dates explicitly. Regenerate only for a new fixture, never to overwrite this one:
``python -m tests.compat.scenario_0_2 tests/compat/events-0.3.db``
"""

import sys
from datetime import date
from uuid import UUID

from freezegun import freeze_time

from application import commands as c
from application.service import ActionTrail
from domain.codes import ActionSourceKind, RecommendationStatus
from tests.compat import scenario
from tests.compat.scenario import GOVERNANCE


def record(app: ActionTrail) -> dict[str, UUID]:
    """Record the scenario; answers the ids of the aggregates it made."""
    ids = scenario.record(app)

    def run(command: c.Command) -> UUID:
        return app.execute(command, GOVERNANCE).id

    with freeze_time("2024-02-09 10:00:00"):
        late = ids["late_action"] = run(
            c.AssignAction(
                command_id="l-1",
                source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref="MARAC-9"),
                agency="police",
                description="Check the address history",
                due_on=date(2024, 1, 19),
                agreed_on=date(2024, 1, 5),
            )
        )
        run(
            c.ReviseDueDate(
                command_id="l-2",
                action_id=late,
                due_on=date(2024, 1, 26),
                reason="Holiday",
                effective_on=date(2024, 1, 12),
            )
        )
        run(
            c.ReassignAction(
                command_id="l-3",
                action_id=late,
                agency="childrens-social-care",
                reason="Social worker holds the history",
                effective_on=date(2024, 1, 15),
            )
        )
        run(
            c.CancelAction(
                command_id="l-4", action_id=late, reason="Dup", effective_on=date(2024, 1, 22)
            )
        )
        run(
            c.ReopenAction(
                command_id="l-5",
                action_id=late,
                reason="Not a duplicate",
                effective_on=date(2024, 1, 29),
            )
        )
        ids["late_meeting_action"] = run(
            c.AgreeMeetingAction(
                command_id="l-6",
                meeting_id=ids["meeting"],
                agency="police",
                description="Joint visit",
                due_on=date(2023, 6, 15),
                agreed_on=date(2023, 6, 14),
            )
        )
        r = ids["recommendation"]
        ids["late_recommendation_action"] = run(
            c.AgreeRecommendationAction(
                command_id="l-7",
                recommendation_id=r,
                agency="health",
                description="Re-audit",
                due_on=date(2024, 3, 31),
                agreed_on=date(2024, 1, 8),
            )
        )
        run(
            c.ChangeRecommendationStatus(
                command_id="l-8",
                recommendation_id=r,
                status=RecommendationStatus.IMPLEMENTED,
                reason="Re-audit planned",
                effective_on=date(2024, 1, 10),
            )
        )
        run(
            c.CloseRecommendation(
                command_id="l-9",
                recommendation_id=r,
                evidence="Re-audit",
                reason="Assured",
                override=True,
                effective_on=date(2024, 2, 1),
            )
        )
        run(
            c.ReopenRecommendation(
                command_id="l-10",
                recommendation_id=r,
                reason="Query",
                effective_on=date(2024, 2, 8),
            )
        )
    return ids


if __name__ == "__main__":
    from infrastructure.bootstrap import build_application
    from infrastructure.config import Settings

    application = build_application(Settings(database_url=f"sqlite:///{sys.argv[1]}"))
    print(record(application))
    application.close()
