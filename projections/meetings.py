"""Strategy meetings for attendance and timeliness: meeting and participant versions.

A meeting row changes when the meeting is requested, cancelled, held, or a share of its record
is recorded with an earlier ``shared_at`` than any known (shares can be entered out of order);
a participant row, one per (meeting, agency, sub-role), when that agency is invited or its
attendance recorded (the latest record for the sub-role counts). Both are versioned in recorded
time, so attendance and timeliness can be asked "as known at T".
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from domain.clock import london_date
from domain.codes import MeetingStatus
from domain.meeting import StrategyMeeting
from projections.base import (
    CACHED_AGGREGATES,
    Positioned,
    Projection,
    VersionedRows,
    created_and_touched,
)
from projections.sealing import PLAIN, Sealer
from projections.tables import meeting_participants, meetings
from projections.writing import Row, RowWriter


class MeetingsProjection(Projection):
    name = "meetings"
    tables = (meetings, meeting_participants)

    def __init__(self, sealer: Sealer = PLAIN, max_meetings: int = CACHED_AGGREGATES) -> None:
        self.meetings = VersionedRows(meetings, ("meeting_id",), max_meetings)
        self.participants = VersionedRows(
            meeting_participants, ("meeting_id", "agency", "role"), max_meetings
        )
        super().__init__(sealer)

    def register(self) -> None:
        self.handlers = {
            StrategyMeeting.Requested: self._requested,
            StrategyMeeting.Cancelled: self._cancelled,
            StrategyMeeting.Held: self._held,
            StrategyMeeting.RecordShared: self._record_shared,
            StrategyMeeting.AgencyInvited: self._invited,
            StrategyMeeting.AttendanceRecorded: self._attendance,
        }

    def prepare(self, conn: Connection, events: Sequence[Positioned]) -> None:
        created, touched = created_and_touched(events, self.handles)
        self.meetings.ensure_loaded(conn, touched, created)
        self.participants.ensure_loaded(conn, touched, created)

    def _meeting(self, event: Any) -> Row:
        version = self.meetings.current((event.originator_id,))
        assert version is not None, f"no meeting {event.originator_id}"
        return version.rows[0]

    def _put_meeting(self, position: int, event: Any, row: Row) -> None:
        self.meetings.put((event.originator_id,), [row], event.timestamp, position)

    def _requested(self, position: int, event: StrategyMeeting.Requested) -> None:
        row = {
            "meeting_id": event.originator_id,
            "case_ref": event.case_ref,
            "kind": event.kind.value,
            "team": event.team,
            "status": MeetingStatus.REQUESTED.value,
            "concern_raised_at": event.concern_raised_at,
            "held_at": None,
            "held_on": None,
            "record_shared_at": None,
        }
        self._put_meeting(position, event, self.sealer.row(meetings, row))

    def _cancelled(self, position: int, event: StrategyMeeting.Cancelled) -> None:
        row = {**self._meeting(event), "status": MeetingStatus.CANCELLED.value}
        self._put_meeting(position, event, row)

    def _held(self, position: int, event: StrategyMeeting.Held) -> None:
        row = {
            **self._meeting(event),
            "status": MeetingStatus.HELD.value,
            "held_at": event.held_at,
            "held_on": london_date(event.held_at),
        }
        self._put_meeting(position, event, row)

    def _record_shared(self, position: int, event: StrategyMeeting.RecordShared) -> None:
        current = self._meeting(event)
        first = current["record_shared_at"]
        if first is None or event.shared_at < first:
            self._put_meeting(position, event, {**current, "record_shared_at": event.shared_at})

    def _participant(self, position: int, event: Any, **changes: Any) -> None:
        key = (event.originator_id, event.agency, event.role or "")
        version = self.participants.current(key)
        if version is None:
            base = {
                "meeting_id": key[0],
                "agency": key[1],
                "role": key[2],
                "invited": False,
                "attended": None,
            }
        else:
            base = version.rows[0]
        self.participants.put(key, [{**base, **changes}], event.timestamp, position)

    def _invited(self, position: int, event: StrategyMeeting.AgencyInvited) -> None:
        self._participant(position, event, invited=True)

    def _attendance(self, position: int, event: StrategyMeeting.AttendanceRecorded) -> None:
        self._participant(position, event, attended=event.attended)

    def flush(self, conn: Connection, writer: RowWriter) -> None:
        self.meetings.flush(conn, writer)
        self.participants.flush(conn, writer)

    def discard(self) -> None:
        self.meetings.discard()
        self.participants.discard()
