"""Ways to bring the application into a given state, for tests and benchmarks.

- Through the application (``app.execute``), optionally at a chosen recorded time: the
  aggregates' rules run as in production.
- Aggregates built directly (``meeting_steps`` ...), to save a synthetic log in bulk.
- Import files (``write_import_file``) of generated meetings.

``benchmarks/`` imports from here; tests never import ``benchmarks``.
"""

import json
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from unittest.mock import patch
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import Engine, select

from application import commands as c
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.codes import (
    ActionSourceKind,
    Decision,
    MeetingFormat,
    MeetingKind,
    QualityRating,
    RecommendationSourceKind,
    RecommendationStatus,
    Role,
)
from domain.events import Envelope, TrailAggregate
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from domain.values import ActionSource, Actor, RecommendationSource
from projections.runner import ProjectionRunner
from projections.tables import metadata

CONCERN = datetime(2023, 6, 13, 9, 30, tzinfo=UTC)
HELD = datetime(2023, 6, 14, 10, 0, tzinfo=UTC)
AGREED = date(2023, 11, 1)
#: Start of generated logs and import files.
START = datetime(2022, 1, 3, 9, tzinfo=UTC)
STATUTORY = ("childrens-social-care", "police", "health")
ACTOR = Actor("bench", Role.GOVERNANCE)


# Through the application


@contextmanager
def recorded_at(moment: datetime | str) -> Iterator[None]:
    """Commands inside record their events at this time (an ISO 8601 string or a datetime; UTC
    when it names no offset).

    This freezes what the application's one clock reads, ``time.time()`` (domain/clock.py), as
    freezegun would, without freezegun's search of every loaded module for references to the
    time functions and classes: about 0.1 s a freeze, which the property tests would pay at each
    step. tests/domain/test_clock.py proves the clock under freezegun itself."""
    at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    seconds = (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()
    with patch.object(time, "time", lambda: seconds):
        yield


def utc(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def run(app: ActionTrail, by: Actor, on: datetime, *commands: c.Command) -> None:
    with recorded_at(on):
        for command in commands:
            app.execute(command, by)


def meeting_request(
    concern: datetime = CONCERN, team: str = "North", command_id: str | None = None
) -> c.RequestMeeting:
    return c.RequestMeeting(
        command_id=command_id,
        case_ref="CASE-1",
        concern_raised_at=concern,
        kind=MeetingKind.CHILD_PROTECTION,
        team=team,
    )


def request_meeting(
    app: ActionTrail, by: Actor, concern: datetime = CONCERN, team: str = "North"
) -> UUID:
    return app.execute(meeting_request(concern, team), by).id


def held_meeting(
    app: ActionTrail, by: Actor, agencies: tuple[str, ...] = ("police", "health")
) -> UUID:
    meeting_id = request_meeting(app, by)
    for agency in agencies:
        app.execute(c.InviteAgency(meeting_id=meeting_id, agency=agency), by)
    app.execute(
        c.HoldMeeting(meeting_id=meeting_id, held_at=HELD, format=MeetingFormat.VIRTUAL), by
    )
    return meeting_id


def meeting(
    app: ActionTrail,
    by: Actor,
    *,
    concern: datetime,
    held: datetime | None,
    invited: Sequence[str] = (),
    attended: Sequence[str] = (),
    apologies: Sequence[str] = (),
    team: str = "North",
    shared: datetime | None = None,
) -> UUID:
    """A meeting recorded the moment it was held (or requested), with its attendance."""
    with recorded_at(held or concern):
        meeting_id = request_meeting(app, by, concern, team)
        for agency in invited:
            app.execute(c.InviteAgency(meeting_id=meeting_id, agency=agency), by)
        if held is None:
            return meeting_id
        app.execute(
            c.HoldMeeting(meeting_id=meeting_id, held_at=held, format=MeetingFormat.VIRTUAL), by
        )
        for agency in attended:
            app.execute(c.RecordAttendance(meeting_id=meeting_id, agency=agency, attended=True), by)
        for agency in apologies:
            app.execute(
                c.RecordAttendance(meeting_id=meeting_id, agency=agency, attended=False), by
            )
    if shared is not None:
        with recorded_at(shared):
            app.execute(
                c.ShareRecord(meeting_id=meeting_id, shared_at=shared, agencies=["police"]), by
            )
    return meeting_id


def raise_recommendation(app: ActionTrail, by: Actor, number: int = 1) -> UUID:
    return app.execute(
        c.RaiseRecommendation(
            source=c.RecommendationSourceIn(
                kind=RecommendationSourceKind.AUDIT,
                ref="SM-AUDIT-2023",
                title="Strategy meetings audit",
            ),
            number=number,
            text="Health should be invited to every strategy meeting",
            raised_on=date(2023, 10, 2),
        ),
        by,
    ).id


def assignment(
    agency: str,
    due_on: date,
    agreed_on: date | None = None,
    ref: str = "MARAC-7",
    command_id: str | None = None,
) -> c.AssignAction:
    return c.AssignAction(
        command_id=command_id,
        source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref=ref),
        agency=agency,
        description="Flag the case on the GP record",
        due_on=due_on,
        agreed_on=agreed_on,
    )


def assign_action(
    app: ActionTrail, by: Actor, agency: str = "health", due_on: date = date(2023, 12, 1)
) -> UUID:
    """An action agreed on ``AGREED`` (or on its due date, if that is earlier)."""
    return app.execute(assignment(agency, due_on, min(due_on, AGREED)), by).id


def action(
    app: ActionTrail,
    by: Actor,
    *,
    on: datetime,
    due_on: date,
    agency: str = "health",
    ref: str = "MARAC-7",
) -> UUID:
    """An action recorded (and so agreed) at ``on``."""
    with recorded_at(on):
        return app.execute(assignment(agency, due_on, ref=ref), by).id


def read_models(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read-model table, in a canonical order, for comparisons."""
    with engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
            for table in metadata.sorted_tables
        }


def rebuilt(runner: ProjectionRunner) -> dict[str, list[tuple[Any, ...]]]:
    runner.rebuild()
    return read_models(runner.engine)


# Aggregates built directly, to save in bulk (``app.save``)


def envelope() -> Envelope:
    return Envelope(ACTOR, uuid.uuid4().hex)


Steps = Iterator[TrailAggregate]
"""Yields the aggregate after each command, so that commands can be interleaved."""
T = TypeVar("T", bound=TrailAggregate)


def meeting_steps(n: int) -> Iterator[StrategyMeeting]:
    """A meeting of 12 events."""
    concern = START + timedelta(hours=7 * (n % 5000))
    m = StrategyMeeting.request(
        id=uuid.uuid4(),
        case_ref=f"CASE-{n}",
        concern_raised_at=concern,
        kind=MeetingKind.CHILD_PROTECTION,
        team=f"Team {n % 7}",
        by=envelope(),
    )
    yield m
    for agency in STATUTORY:
        m.invite(agency=agency, role=None, by=envelope())
        yield m
    m.hold(held_at=concern + timedelta(days=1), format=MeetingFormat.VIRTUAL, by=envelope())
    yield m
    for i, agency in enumerate(STATUTORY):
        m.record_attendance(
            agency=agency, role=None, attended=(n + i) % 9 != 0, note=None, by=envelope()
        )
        yield m
    m.record_decision(decision=Decision.SECTION_47, rationale="Unexplained injury", by=envelope())
    yield m
    m.share_record(shared_at=concern + timedelta(days=3), agencies=list(STATUTORY), by=envelope())
    yield m
    m.assess_quality(
        rating=QualityRating.CLEAR,
        audit_ref=f"AUDIT-{n % 10}",
        notes=None,
        assessed_on=None,
        by=envelope(),
    )
    yield m
    m.record_decision(decision=Decision.JOINT_VISIT, rationale="Joint visit", by=envelope())
    yield m


def action_steps(n: int) -> Iterator[AgencyAction]:
    """An action of 5 events."""
    due = date(2022, 1, 1) + timedelta(days=n % 700)
    a = AgencyAction.assign(
        id=uuid.uuid4(),
        source=ActionSource(ActionSourceKind.MARAC, f"MARAC-{n}"),
        agency=STATUTORY[n % 3],
        owner_role=None,
        description="Flag the case on the GP record",
        due_on=due,
        agreed_on=due - timedelta(days=30),
        by=envelope(),
    )
    yield a
    a.note_progress(note="Chased", by=envelope())
    yield a
    a.revise_due_date(
        due_on=due + timedelta(days=14), reason="Leave", effective_on=due, by=envelope()
    )
    yield a
    a.note_progress(note="Nearly there", by=envelope())
    yield a
    if n % 4:
        a.complete(completed_on=due + timedelta(days=10), evidence="Done", by=envelope())
    else:
        a.cancel(reason="Duplicate", effective_on=due + timedelta(days=1), by=envelope())
    yield a


def recommendation_steps(n: int) -> Iterator[Recommendation]:
    """A recommendation of 4 events."""
    r = Recommendation.raise_(
        id=uuid.uuid4(),
        source=RecommendationSource(RecommendationSourceKind.AUDIT, "SM-AUDIT", "Audit"),
        number=1 + n % 5,
        text="Invite health to every strategy meeting",
        raised_on=date(2023, 10, 2),
        by=envelope(),
    )
    yield r
    r.record_response(text="Agreed", dated=date(2023, 12, 1), agency=None, by=envelope())
    yield r
    r.correct_response(number=1, text="Agreed in full", reason="Typo", by=envelope())
    yield r
    r.change_status(
        status=RecommendationStatus.IN_PROGRESS,
        rag=None,
        reason="Started",
        effective_on=date(2023, 12, 4),
        by=envelope(),
    )
    yield r


def completed(steps: Iterator[T]) -> T:
    """The aggregate once all its commands have run."""
    return deque(steps, maxlen=1)[0]


def sample_meeting(n: int) -> StrategyMeeting:
    return completed(meeting_steps(n))


def sample_action(n: int) -> AgencyAction:
    return completed(action_steps(n))


def sample_recommendation(n: int) -> Recommendation:
    return completed(recommendation_steps(n))


#: One of each kind of aggregate per number: ``app.save(*(b(n) for n in ... for b in SAMPLES))``.
SAMPLES = (sample_meeting, sample_action, sample_recommendation)


# Import files


#: Events each generated meeting of an import file makes: requested, three invitations, held,
#: three attendances, a decision, an action agreed (the action assigned and the meeting's link),
#: the action's progress, the record shared and a quality assessment.
EVENTS_PER_MEETING = 14


def import_meeting(number: int) -> dict[str, Any]:
    raised = START + timedelta(hours=number)
    held = raised + timedelta(days=1)
    return {
        "ref": f"GEN-{number:07d}",
        "case_ref": f"CASE-GEN-{number:07d}",
        "concern_raised_at": raised.isoformat(),
        "kind": "child-protection",
        "team": f"Team {number % 7}",
        "invitations": [
            {"agency": "childrens-social-care"},
            {"agency": "police"},
            {"agency": "health", "role": "mash-nurse"},
        ],
        "held": {"held_at": held.isoformat(), "format": "virtual"},
        "attendance": [
            {"agency": "childrens-social-care", "attended": True},
            {"agency": "police", "attended": True},
            {"agency": "health", "role": "mash-nurse", "attended": number % 5 != 0},
        ],
        "decisions": [{"decision": "section-47", "rationale": "Risk of significant harm"}],
        "actions": [
            {
                "agency": "health",
                "description": f"Share the health chronology for case {number}",
                "due_on": (held + timedelta(days=10)).date().isoformat(),
                "agreed_on": held.date().isoformat(),
                "progress": [{"note": "Requested from the GP"}],
            }
        ],
        "record_shared": {
            "shared_at": (held + timedelta(days=2)).isoformat(),
            "agencies": ["childrens-social-care", "police", "health"],
        },
        "quality_assessments": [{"rating": "clear", "audit_ref": "GEN-AUDIT"}],
    }


def import_document(meetings: int) -> dict[str, Any]:
    return {
        "format": "actiontrail-import/1",
        "title": f"{meetings} generated meetings",
        "meetings": [import_meeting(n) for n in range(1, meetings + 1)],
    }


def write_import_file(path: Path, meetings: int) -> Path:
    path.write_text(json.dumps(import_document(meetings)), encoding="utf-8")
    return path


# The library's own paths, to compare ours with


def library_select(recorder: Any) -> Callable[..., Sequence[Notification]]:
    """The library's own ``select_notifications`` (our recorders override it with a leaner one)."""
    for base in type(recorder).__mro__:
        if base.__module__.startswith("eventsourcing.") and "select_notifications" in vars(base):
            return partial(base.select_notifications, recorder)
    raise TypeError(f"{type(recorder).__name__} is not one of the library's recorders")
