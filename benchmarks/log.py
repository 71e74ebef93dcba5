"""A realistic benchmark log: a large partnership's records over time, saved in large batches.

Every month about 300 strategy meetings (``--dense``: ten times as many, and busier actions):
requested and agencies invited when the concern is raised, held a working day or so later
(some late, a few cancelled), attendance of every invited agency, one or two decisions, the
record shared a few days later, a quality assessment for one in five; at two in five an action
is agreed (``agreed_on`` the meeting's day, due 2 to 12 weeks later), then progress notes, some
due-date revisions (``effective_on``), completions (some late), cancellations; the rest stay
open one to twelve months past their due date (completed after escalation or closed at an
annual review), so overdue reports return rows and the backlog stays as large whatever the
log's length, as a partnership that reviews its actions would have it. About 20
recommendations a month, with responses, corrections, status changes and an action each.
About 16 events per meeting in all.

Each step runs on the aggregates directly (their rules apply) at its own recorded time: the
domain clock is moved along the timeline, so ``known_at`` and the audit log see a log recorded
over months. The log ends yesterday; it starts as many months before as the size asks. Events
are saved through the application (``app.save``) in batches of ``BATCH`` events.

Usage: ``.venv/bin/python -m benchmarks.log --events 100000 [--dense]`` writes to the database
of ``ACTIONTRAIL_DATABASE_URL`` (and ``ACTIONTRAIL_DATABASE_SCHEMA``) and prints what it
wrote as JSON (events, first and last recorded times, meetings, actions, recommendations).
"""

import argparse
import heapq
import itertools
import json
import math
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest.mock import patch
from uuid import UUID

import domain.clock
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.codes import (
    ActionSourceKind,
    Decision,
    MeetingFormat,
    MeetingKind,
    QualityRating,
    Rag,
    RecommendationSourceKind,
    RecommendationStatus,
)
from domain.events import TrailAggregate
from domain.meeting import StrategyMeeting
from domain.recommendation import Recommendation
from domain.values import ActionSource, RecommendationSource
from tests.builders import STATUTORY, envelope

#: Events per ``app.save``.
BATCH = 3000
MEETINGS_PER_MONTH = 300
RECOMMENDATIONS_PER_MONTH = 20
#: Events a month of the normal log makes, about (to place its start).
EVENTS_PER_MONTH = 4300
OTHER_AGENCIES = ("education", "probation", "youth-justice", "housing", "early-help")
TEAMS = tuple(f"Team {n}" for n in range(12))
Story = Iterator[datetime]
"""A generator that yields when it next wants to run; resumed with the clock at that moment."""


class SimulatedClock:
    """Stands in for the ``time`` module of ``domain.clock`` while the log is written."""

    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        return self.now


def clock_at(clock: SimulatedClock) -> AbstractContextManager[object]:
    """The domain reads ``clock`` for recorded times and today's date, then the real time."""
    return patch.object(domain.clock, "time", clock)


@dataclass
class Summary:
    """What a log holds, for benchmarks to choose their queries."""

    events: int = 0
    first: datetime | None = None
    last: datetime | None = None
    meetings: int = 0
    actions: int = 0
    recommendations: int = 0
    #: The latest actions assigned (some still open); meetings and recommendations: the first.
    action_ids: list[UUID] = field(default_factory=list)
    meeting_ids: list[UUID] = field(default_factory=list)
    recommendation_ids: list[UUID] = field(default_factory=list)
    audit_refs: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "meetings": self.meetings,
            "actions": self.actions,
            "recommendations": self.recommendations,
        }


class Timeline:
    """Runs stories in the order of their moments; the events of the aggregates each step
    touched are collected in that order."""

    def __init__(self, clock: SimulatedClock, end: datetime) -> None:
        self.clock = clock
        self.end = end
        self._queue: list[tuple[datetime, int, Story]] = []
        self._order = itertools.count()
        self._touched: list[TrailAggregate] = []

    def start(self, story: Story) -> None:
        self._wake(story)

    def touch(self, *aggregates: TrailAggregate) -> None:
        self._touched.extend(aggregates)

    def _wake(self, story: Story) -> None:
        at = next(story, None)
        if at is not None and at <= self.end:
            heapq.heappush(self._queue, (at, next(self._order), story))

    def events(self) -> Iterator[tuple[datetime, list[Any]]]:
        """Each step's moment and events, oldest first."""
        while self._queue:
            at, _, story = heapq.heappop(self._queue)
            self.clock.now = at.timestamp()
            self._wake(story)
            touched, self._touched = self._touched, []
            yield at, [event for aggregate in touched for event in aggregate.collect_events()]


@dataclass(frozen=True)
class Density:
    meetings_per_month: int
    recommendations_per_month: int
    #: Progress notes an action takes, at most.
    max_notes: int

    @property
    def events_per_month(self) -> int:
        return EVENTS_PER_MONTH * self.meetings_per_month // MEETINGS_PER_MONTH


NORMAL = Density(MEETINGS_PER_MONTH, RECOMMENDATIONS_PER_MONTH, 3)
DENSE = Density(10 * MEETINGS_PER_MONTH, 10 * RECOMMENDATIONS_PER_MONTH, 8)


class Partnership:
    """The stories of one partnership's meetings, actions and recommendations."""

    def __init__(self, timeline: Timeline, density: Density, summary: Summary, seed: int) -> None:
        self.timeline = timeline
        self.density = density
        self.summary = summary
        self.random = random.Random(seed)

    def months(self, start: datetime) -> Story:
        """Each month's meetings and recommendations, at random moments of the month."""
        month = start
        while True:
            following = (month + timedelta(days=32)).replace(day=1)
            span = (following - month).total_seconds()
            for _ in range(self.density.meetings_per_month):
                at = month + timedelta(seconds=self.random.uniform(0, span))
                self.timeline.start(self.meeting(working_hours(at)))
            for _ in range(self.density.recommendations_per_month):
                at = month + timedelta(seconds=self.random.uniform(0, span))
                self.timeline.start(self.recommendation(working_hours(at)))
            month = following
            yield month

    def meeting(self, concern: datetime) -> Story:
        chance = self.random.random
        yield concern
        n = self.summary.meetings
        self.summary.meetings += 1
        m = StrategyMeeting.request(
            id=uuid.uuid4(),
            case_ref=f"CASE-{n:07d}",
            concern_raised_at=concern,
            kind=self.random.choice(list(MeetingKind)),
            team=self.random.choice(TEAMS),
            by=envelope(),
        )
        invited = [*STATUTORY, *self.random.sample(OTHER_AGENCIES, self.random.randint(0, 2))]
        for agency in invited:
            m.invite(agency=agency, role=None, by=envelope())
        self.timeline.touch(m)
        if len(self.summary.meeting_ids) < 1000:
            self.summary.meeting_ids.append(m.id)
        held = concern + timedelta(hours=self.random.choice((20, 24, 26, 30, 50, 75, 120)))
        yield held
        if chance() < 0.04:
            m.cancel(reason="Concern resolved before the meeting", by=envelope())
            self.timeline.touch(m)
            return
        m.hold(held_at=held, format=self.random.choice(list(MeetingFormat)), by=envelope())
        for agency in invited:
            attended = chance() < 0.85
            note = None if attended else "Apologies sent"
            m.record_attendance(
                agency=agency, role=None, attended=attended, note=note, by=envelope()
            )
        for decision in self.random.sample(list(Decision), 1 if chance() < 0.7 else 2):
            m.record_decision(decision=decision, rationale="Risk assessed", by=envelope())
        self.timeline.touch(m)
        if chance() < 0.4:
            for _ in range(1 if chance() < 0.8 else 2):
                source = ActionSource(ActionSourceKind.STRATEGY_MEETING, str(m.id))
                agreed_on = domain.clock.london_date(held)
                a = self.assign(source, agreed_on)
                m.agree_action(action_id=a.id, agreed_on=agreed_on, by=envelope())
                self.timeline.touch(a, m)
                self.timeline.start(self.action(a, held))
        yield held + timedelta(days=self.random.choice((1, 2, 3, 3, 4, 6, 9)))
        m.share_record(shared_at=utc_now(), agencies=list(STATUTORY), by=envelope())
        self.timeline.touch(m)
        if chance() < 0.2:
            yield held + timedelta(days=self.random.randint(30, 90))
            audit_ref = f"AUDIT-{held.year}-Q{(held.month - 1) // 3 + 1}"
            self.summary.audit_refs.add(audit_ref)
            rating = QualityRating.CLEAR if chance() < 0.75 else QualityRating.LACKS_CLARITY
            m.assess_quality(
                rating=rating, audit_ref=audit_ref, notes=None, assessed_on=None, by=envelope()
            )
            self.timeline.touch(m)

    def assign(self, source: ActionSource, agreed_on: date) -> AgencyAction:
        self.summary.actions += 1
        a = AgencyAction.assign(
            id=uuid.uuid4(),
            source=source,
            agency=self.random.choice((*STATUTORY, *OTHER_AGENCIES)),
            owner_role=None,
            description="Share the chronology with the lead agency",
            due_on=agreed_on + timedelta(weeks=self.random.randint(2, 12)),
            agreed_on=agreed_on,
            by=envelope(),
        )
        # the latest (1,000 to 2,000): the oldest are all finished in a long log
        self.summary.action_ids.append(a.id)
        if len(self.summary.action_ids) > 2000:
            del self.summary.action_ids[:1000]
        return a

    def action(self, a: AgencyAction, agreed: datetime) -> Story:
        """Notes, perhaps a revised due date, then completed (some late), cancelled, or left
        open long past its due date until completed after escalation or closed at a review."""
        chance = self.random.random
        due = datetime.combine(a.due_on, agreed.timetz())
        at = agreed
        for _ in range(self.random.randint(0, self.density.max_notes)):
            at += timedelta(days=self.random.randint(2, 20))
            yield at
            if a.is_finished:
                return
            a.note_progress(note="Chased the named worker", by=envelope())
            self.timeline.touch(a)
        if chance() < 0.15:
            at = max(at, due - timedelta(days=3))
            yield at
            a.revise_due_date(
                due_on=a.due_on + timedelta(days=self.random.randint(7, 28)),
                reason="Waiting for the assessment",
                effective_on=at.date(),
                by=envelope(),
            )
            self.timeline.touch(a)
            due = datetime.combine(a.due_on, agreed.timetz())
        outcome = chance()
        if outcome < 0.75:
            yield max(at, due + timedelta(days=self.random.randint(-20, 10)))
            a.complete(
                completed_on=domain.clock.london_today(),
                evidence="Done, on the record",
                by=envelope(),
            )
            self.timeline.touch(a)
        elif outcome < 0.85:
            yield max(at, due - timedelta(days=self.random.randint(0, 10)))
            a.cancel(reason="No longer needed", effective_on=None, by=envelope())
            self.timeline.touch(a)
        elif outcome < 0.95:
            yield max(at, due + timedelta(days=self.random.randint(30, 270)))
            a.complete(
                completed_on=domain.clock.london_today(),
                evidence="Done after escalation",
                by=envelope(),
            )
            self.timeline.touch(a)
        else:
            yield max(at, due + timedelta(days=self.random.randint(90, 365)))
            a.cancel(reason="Closed at the annual review", effective_on=None, by=envelope())
            self.timeline.touch(a)

    def recommendation(self, raised: datetime) -> Story:
        chance = self.random.random
        yield raised
        self.summary.recommendations += 1
        r = Recommendation.raise_(
            id=uuid.uuid4(),
            source=RecommendationSource(
                self.random.choice(list(RecommendationSourceKind)),
                f"REVIEW-{raised.year}-{raised.month:02d}",
                "Multi-agency review",
            ),
            number=1 + self.summary.recommendations % 9,
            text="Invite health to every strategy meeting",
            raised_on=raised.date(),
            by=envelope(),
        )
        self.timeline.touch(r)
        if len(self.summary.recommendation_ids) < 1000:
            self.summary.recommendation_ids.append(r.id)
        at = raised + timedelta(days=self.random.randint(7, 30))
        yield at
        r.record_response(text="Agreed", dated=at.date(), agency=None, by=envelope())
        source = ActionSource(ActionSourceKind.RECOMMENDATION, str(r.id))
        a = self.assign(source, at.date())
        r.link_action(action_id=a.id, agreed_on=at.date(), by=envelope())
        self.timeline.touch(a, r)
        self.timeline.start(self.action(a, at))
        if chance() < 0.3:
            yield at + timedelta(days=self.random.randint(1, 5))
            r.correct_response(number=1, text="Agreed in full", reason="Typo", by=envelope())
            self.timeline.touch(r)
        at += timedelta(days=self.random.randint(10, 60))
        yield at
        rag = self.random.choice(list(Rag))
        r.change_status(
            status=RecommendationStatus.IN_PROGRESS,
            rag=rag,
            reason="Work started",
            effective_on=None,
            by=envelope(),
        )
        self.timeline.touch(r)
        if chance() < 0.5:
            yield at + timedelta(days=self.random.randint(30, 120))
            r.change_status(
                status=RecommendationStatus.IMPLEMENTED,
                rag=Rag.GREEN,
                reason="Implemented",
                effective_on=None,
                by=envelope(),
            )
            self.timeline.touch(r)


def utc_now() -> datetime:
    return domain.clock.utc_now()


def working_hours(moment: datetime) -> datetime:
    """The same day between 08:00 and 18:00 UTC (weekends move to Monday)."""
    moment = moment.replace(hour=8 + moment.hour % 10)
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment


def start_for(events: int, density: Density, end: datetime) -> datetime:
    """The first of the month far enough before ``end`` for about ``events`` events."""
    months = math.ceil(events / density.events_per_month)
    year, month = divmod(end.year * 12 + end.month - 1 - months, 12)
    return datetime(year, month + 1, 1, tzinfo=UTC)


def write_log(
    app: ActionTrail,
    events: int,
    *,
    dense: bool = False,
    seed: int = 12,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Save about ``events`` events (the log stops at the first batch that reaches it)."""
    density = DENSE if dense else NORMAL
    end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    summary = Summary()
    clock = SimulatedClock()
    timeline = Timeline(clock, end)
    timeline.start(
        Partnership(timeline, density, summary, seed).months(start_for(events, density, end))
    )
    chunk: list[Any] = []
    with clock_at(clock):
        for at, stepped in timeline.events():
            summary.first = summary.first or at
            summary.last = at
            chunk.extend(stepped)
            if len(chunk) >= BATCH or summary.events + len(chunk) >= events:
                app.save(*chunk)
                summary.events += len(chunk)
                chunk = []
                if progress is not None:
                    progress(summary.events)
                if summary.events >= events:
                    break
        if chunk:
            app.save(*chunk)
            summary.events += len(chunk)
    return summary


def main() -> None:
    from infrastructure.bootstrap import build_application

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--dense", action="store_true", help="ten times the meetings a month")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    app = build_application()
    started = time.perf_counter()
    try:
        summary = write_log(
            app,
            args.events,
            dense=args.dense,
            seed=args.seed,
            progress=lambda n: print(f"\r{n} events", end="", file=sys.stderr),
        )
    finally:
        app.close()
    seconds = time.perf_counter() - started
    print(f"\nwritten in {seconds:.1f}s", file=sys.stderr)
    print(json.dumps(summary.as_json()))


if __name__ == "__main__":
    main()
