"""The read side's front door: reports, lists, the audit log, the event feed, projection control.

Reports are read your writes: before answering, a report waits until the projections it reads
have reached the head of the log as it stands when the report is asked (``consistent=True``), so
it reflects every command answered before. Each report reads from one snapshot of the database.
A report whose projection is stalled raises ``ProjectionStalled`` at once, naming it; reports of
the other projections keep answering.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import Connection

from projections.attendance import GroupBy, query_attendance_compliance, query_latest_held_on
from projections.audit_log import (
    AuditLogProjection,
    LogFilter,
    entries_of,
    query_audit_log,
    query_last_position_recorded_by,
)
from projections.base import Period
from projections.completed_late import query_completed_late
from projections.errors import ProjectionsBehind
from projections.listing import (
    ActionFilter,
    Listed,
    MeetingFilter,
    RecommendationFilter,
    list_actions,
    list_meetings,
    list_recommendations,
)
from projections.meetings import MeetingsProjection
from projections.models import (
    AttendanceCompliance,
    CompletedLate,
    LogPage,
    MeetingTimeliness,
    NameLookup,
    OverdueActions,
    ProjectionStatus,
    RecordQuality,
    ResponseHistory,
    WorkQueue,
)
from projections.overdue import OverdueProjection, query_overdue_actions
from projections.quality import QualityProjection, query_audit_refs, query_record_quality
from projections.queue import QueueProjection, query_work_queue
from projections.responses import (
    ResponsesProjection,
    query_response_histories,
    query_response_history,
)
from projections.runner import Progress, ProjectionRunner
from projections.sealing import PLAIN, Sealer
from projections.stalls import Stall
from projections.standards import Standards
from projections.timeliness import query_meeting_timeliness

MAX_FEED_PAGE = 1000
OVERDUE = OverdueProjection.name
MEETINGS = MeetingsProjection.name
QUALITY = QualityProjection.name
RESPONSES = ResponsesProjection.name
AUDIT_LOG = AuditLogProjection.name
QUEUE = QueueProjection.name


Snapshot = Callable[[Connection], Connection]
"""Makes a fresh connection read from one snapshot of the database (each database its own way:
``infrastructure.storage.database.snapshot_of``)."""


@runtime_checkable
class NotificationsAt(Protocol):
    """A recorder that reads the notifications at given positions."""

    def notifications_at(self, positions: Sequence[int]) -> Sequence[Notification]: ...


class ReadService:
    def __init__(  # noqa: PLR0913 - the read service's collaborators, wired in one place (infrastructure/read_side.py)
        self,
        runner: ProjectionRunner,
        standards: Standards,
        consistent: bool = True,
        wait_timeout: float = 10.0,
        sealer: Sealer = PLAIN,
        *,
        snapshot: Snapshot,
    ) -> None:
        self.runner = runner
        self.snapshot = snapshot
        self.standards = standards
        self.sealer = sealer
        self.consistent = consistent
        self.wait_timeout = wait_timeout

    # Reports

    def overdue_actions(
        self, as_of: date, agency: str | None = None, known_at: datetime | None = None
    ) -> OverdueActions:
        with self._snapshot(OVERDUE) as conn:
            return query_overdue_actions(
                conn, self.standards.calendar, as_of, agency, known_at, self.sealer
            )

    def completed_late(
        self,
        from_date: date,
        to_date: date,
        agency: str | None = None,
        known_at: datetime | None = None,
    ) -> CompletedLate:
        with self._snapshot(OVERDUE) as conn:
            period = Period(from_date, to_date, known_at)
            return query_completed_late(conn, self.standards.calendar, period, agency, self.sealer)

    def attendance_compliance(
        self,
        from_date: date,
        to_date: date,
        group_by: GroupBy = "month",
        known_at: datetime | None = None,
    ) -> AttendanceCompliance:
        with self._snapshot(MEETINGS) as conn:
            period = Period(from_date, to_date, known_at)
            return query_attendance_compliance(
                conn, self.standards.statutory_partners, period, group_by
            )

    def latest_held_on(self) -> date | None:
        with self._snapshot(MEETINGS) as conn:
            return query_latest_held_on(conn)

    def meeting_timeliness(
        self, from_date: date, to_date: date, known_at: datetime | None = None
    ) -> MeetingTimeliness:
        with self._snapshot(MEETINGS) as conn:
            period = Period(from_date, to_date, known_at)
            return query_meeting_timeliness(conn, self.standards, period, self.sealer)

    def record_quality(self, audit_ref: str, known_at: datetime | None = None) -> RecordQuality:
        with self._snapshot(QUALITY) as conn:
            return query_record_quality(conn, audit_ref, known_at)

    def record_quality_by_audit(self, known_at: datetime | None = None) -> list[RecordQuality]:
        """Every audit's record quality (``record_quality``), by audit reference."""
        with self._snapshot(QUALITY) as conn:
            return [
                query_record_quality(conn, ref, known_at)
                for ref in query_audit_refs(conn, known_at)
            ]

    def response_history(self, recommendation_id: UUID) -> ResponseHistory:
        """Raises ``projections.errors.NotFound`` for an unknown recommendation."""
        with self._snapshot(RESPONSES) as conn:
            return query_response_history(conn, recommendation_id, self.sealer)

    def response_histories(
        self, as_of: date, known_at: datetime, last_position: int
    ) -> list[tuple[str, ResponseHistory]]:
        """Every recommendation's history on ``as_of`` as recorded by ``known_at``
        (``query_response_histories``), each with its source's reference."""
        with self._snapshot(RESPONSES) as conn:
            return query_response_histories(conn, as_of, known_at, last_position, self.sealer)

    def last_position_recorded_by(self, moment: datetime) -> int:
        """The last position of the log among the events recorded by ``moment`` (0: none)."""
        with self._snapshot(AUDIT_LOG) as conn:
            return query_last_position_recorded_by(conn, moment)

    def work_queue(self, today: date) -> WorkQueue:
        """Submissions waiting for governance, on actions open now (so the overdue
        projection's current timelines are read too)."""
        with self._snapshot(QUEUE, OVERDUE) as conn:
            return query_work_queue(conn, self.standards.calendar, today, self.sealer)

    # Lists: ids oldest first, each read model caught up as for a report

    def meeting_list(self, filter: MeetingFilter) -> Listed:
        with self._snapshot(MEETINGS) as conn:
            return list_meetings(conn, self.sealer, filter)

    def recommendation_list(self, filter: RecommendationFilter) -> Listed:
        with self._snapshot(RESPONSES) as conn:
            return list_recommendations(conn, self.sealer, filter)

    def action_list(self, filter: ActionFilter) -> Listed:
        with self._snapshot(OVERDUE) as conn:
            return list_actions(conn, self.sealer, filter)

    def audit_log(self, filter: LogFilter) -> LogPage:
        with self._snapshot(AUDIT_LOG) as conn:
            event_data = None if self.sealer.cipher is None else self._event_data
            return query_audit_log(conn, filter, event_data)

    def _event_data(self, positions: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The data of the events at these positions, from the event store."""
        recorder = self.runner.recorder
        if not isinstance(recorder, NotificationsAt):
            raise TypeError(f"{type(recorder).__name__} cannot read notifications by position")
        notifications = recorder.notifications_at(positions)
        return {p: event.data_as_json() for p, event in self.runner.decode_all(notifications)}

    def events_after(
        self, after: int = 0, limit: int = 100, names: NameLookup | None = None
    ) -> LogPage:
        """The global log after position ``after``, straight from the event store (no lag);
        the actors named by ``names`` (if given)."""
        limit = max(1, min(limit, MAX_FEED_PAGE))
        # the notifications dropped once decoded, the events once made entries (``entries_of``):
        # fewer objects alive at once, fewer promoted to the collector's oldest generation
        events = self.runner.decode_all(
            self.runner.recorder.select_notifications(
                start=after, limit=limit, inclusive_of_start=False
            )
        )
        entries = entries_of(events, names)
        return LogPage(events=entries, next_after=entries[-1].position if entries else after)

    # Projections

    def status(self) -> list[ProjectionStatus]:
        return self.runner.status()

    def stalled(self) -> dict[str, Stall]:
        """The stalled projections as the runner last saw them (no database query)."""
        return self.runner.stalls

    def rebuild(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        return self.runner.rebuild(names, progress)

    def run_forever(self) -> None:
        self.runner.run_forever()

    def start(self) -> None:
        self.runner.start()

    def stop(self) -> None:
        self.runner.stop()

    def wait_for(
        self, position: int, timeout: float | None = None, names: Iterable[str] | None = None
    ) -> bool:
        return self.runner.wait_for(
            position, self.wait_timeout if timeout is None else timeout, names
        )

    def sync(self, *names: str) -> None:
        """Wait until the projections ``names`` (default: all) reflect the whole log as it
        stands now; ``ProjectionStalled`` if one of them cannot."""
        head = self.runner.head()
        if not self.wait_for(head, names=names or None):
            detail = f": {self.runner.error}" if self.runner.error else ""
            raise ProjectionsBehind(
                f"the read models did not reach position {head} within {self.wait_timeout}s{detail}"
            )

    @contextmanager
    def _snapshot(self, *projections: str) -> Iterator[Connection]:
        if self.consistent:
            self.sync(*projections)
        with self.runner.engine.connect() as fresh:
            conn = self.snapshot(fresh)
            try:
                yield conn
            finally:
                conn.rollback()
