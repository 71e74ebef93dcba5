"""Record quality per audit: the seed's audit of ten meetings, six lacking clarity."""

from application import commands as c
from application.service import ActionTrail
from domain.codes import QualityRating
from domain.values import Actor
from projections.service import ReadService
from tests.builders import meeting, run, utc

AUDIT = "SM-AUDIT-2023"


def test_seed_audit_and_a_reassessment(
    app: ActionTrail, governance: Actor, reads: ReadService
) -> None:
    ids = [
        meeting(
            app, governance, concern=utc(2023, 6 + n // 4, 5 + n), held=utc(2023, 6 + n // 4, 6 + n)
        )
        for n in range(10)
    ]
    for n, meeting_id in enumerate(ids):
        rating = QualityRating.LACKS_CLARITY if n < 6 else QualityRating.CLEAR
        run(
            app,
            governance,
            utc(2023, 9, 20),
            c.AssessRecordQuality(meeting_id=meeting_id, rating=rating, audit_ref=AUDIT),
        )
    run(
        app,
        governance,
        utc(2023, 9, 21),
        c.AssessRecordQuality(meeting_id=ids[0], rating=QualityRating.CLEAR, audit_ref="OTHER"),
    )

    report = reads.record_quality(AUDIT)
    assert (report.assessed, report.clear, report.lacks_clarity) == (10, 4, 6)
    assert (report.clear_pct, report.lacks_clarity_pct) == (40.0, 60.0)
    assert reads.record_quality("OTHER").assessed == 1

    # Assessed again under the same audit: the latest assessment of a meeting counts.
    run(
        app,
        governance,
        utc(2023, 9, 22),
        c.AssessRecordQuality(meeting_id=ids[1], rating=QualityRating.CLEAR, audit_ref=AUDIT),
    )
    report = reads.record_quality(AUDIT)
    assert (report.assessed, report.clear, report.lacks_clarity) == (10, 5, 5)


def test_an_unknown_audit_has_nothing_assessed(reads: ReadService) -> None:
    report = reads.record_quality("NONE")
    assert (report.assessed, report.clear, report.lacks_clarity, report.clear_pct) == (
        0,
        0,
        0,
        None,
    )
