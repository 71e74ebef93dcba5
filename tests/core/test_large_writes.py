"""No command can hold the log hostage: a write of many megabytes completes (PostgreSQL's
pipeline mode used to deadlock on it while holding the log's table lock), and a normal command
written beside it answers."""

import threading
from datetime import date

from application import commands as c
from application.service import ActionTrail
from domain.codes import AssuranceKind
from domain.recommendation import Recommendation
from domain.values import Actor
from tests.builders import raise_recommendation

#: About 13 MB of event state: far past anything the HTTP body limit lets through, written
#: below the edge to prove the store itself copes.
MEASURES = 100_000
SECONDS = 30


def huge_assurance(recommendation_id: object) -> c.RecordAssurance:
    measures = [
        c.MeasureIn(name=f"measure {i:06d} of a long dip sample", numerator=1, denominator=2)
        for i in range(MEASURES)
    ]
    return c.RecordAssurance.model_construct(
        recommendation_id=recommendation_id,
        kind=AssuranceKind.DIP_SAMPLE,
        dated=date(2024, 1, 8),
        sample_size=16,
        measures=measures,
        summary="Very large",
        command_id=None,
        expected_version=None,
    )


def test_a_write_of_megabytes_completes_and_a_normal_command_beside_it_answers(
    stored_app: ActionTrail, governance: Actor
) -> None:
    big = raise_recommendation(stored_app, governance, number=1)
    small = raise_recommendation(stored_app, governance, number=2)
    answered: dict[str, int] = {}

    def write(name: str, command: c.Command) -> None:
        answered[name] = stored_app.execute(command, governance).version

    response = c.RecordResponse.model_validate(
        {"recommendation_id": small, "text": "Agreed", "dated": "2023-12-01"}
    )
    threads = [
        threading.Thread(target=write, args=("big", huge_assurance(big)), daemon=True),
        threading.Thread(target=write, args=("small", response), daemon=True),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS)
    assert answered == {"big": 2, "small": 2}
    stored = stored_app.get(big, governance, Recommendation)
    assert len(stored.assurances[0].measures) == MEASURES
