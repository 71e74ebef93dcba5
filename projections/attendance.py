"""Attendance compliance for meetings held in a period, per agency, by month or by team."""

from collections import defaultdict
from datetime import date, datetime
from typing import Literal
from uuid import UUID

from sqlalchemy import Connection, select

from domain.clock import as_utc
from domain.codes import MeetingStatus
from projections.base import known_at
from projections.models import AgencyAttendance, AttendanceCompliance, AttendanceGroup, pct
from projections.tables import meeting_participants, meetings

GroupBy = Literal["month", "team"]


def months(start: date, end: date) -> list[str]:
    """``YYYY-MM`` of every month from ``start``'s to ``end``'s, inclusive."""
    result: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def query_attendance_compliance(
    conn: Connection,
    statutory_partners: tuple[str, ...],
    from_date: date,
    to_date: date,
    group_by: GroupBy = "month",
    known_at_time: datetime | None = None,
) -> AttendanceCompliance:
    """Meetings held (London date) from ``from_date`` to ``to_date`` inclusive, as known then.

    Per agency: invited (count, % of meetings held) and attended (count, % of those invited).
    An agency counts as invited when any of its sub-roles was, and as attended when the latest
    attendance record of any of its sub-roles says so. The statutory partners are always listed
    first, then every other agency invited in the group.
    """
    m, p = meetings, meeting_participants
    held = select(m.c.meeting_id, m.c.held_on, m.c.team).where(
        known_at(m, known_at_time),
        m.c.status == MeetingStatus.HELD.value,
        m.c.held_on >= from_date,
        m.c.held_on <= to_date,
    )
    group_of: dict[UUID, str] = {}
    for meeting_id, held_on, team in conn.execute(held):
        group_of[meeting_id] = held_on.strftime("%Y-%m") if group_by == "month" else team
    invited: dict[UUID, set[str]] = defaultdict(set)
    attended: dict[UUID, set[str]] = defaultdict(set)
    participants = (
        select(p.c.meeting_id, p.c.agency, p.c.invited, p.c.attended)
        .join(m, m.c.meeting_id == p.c.meeting_id)
        .where(
            known_at(m, known_at_time),
            known_at(p, known_at_time),
            m.c.status == MeetingStatus.HELD.value,
            m.c.held_on >= from_date,
            m.c.held_on <= to_date,
        )
    )
    for meeting_id, agency, was_invited, did_attend in conn.execute(participants):
        if was_invited:
            invited[meeting_id].add(agency)
        if did_attend:
            attended[meeting_id].add(agency)

    keys = months(from_date, to_date) if group_by == "month" else sorted(set(group_of.values()))
    members: dict[str, list[UUID]] = {key: [] for key in keys}
    for meeting_id, key in group_of.items():
        members[key].append(meeting_id)
    statutory = set(statutory_partners)
    groups = []
    for key, meeting_ids in members.items():
        held_count = len(meeting_ids)
        others = sorted({a for mid in meeting_ids for a in invited[mid]} - statutory)
        agencies = []
        for agency in (*statutory_partners, *others):
            n_invited = sum(agency in invited[mid] for mid in meeting_ids)
            n_attended = sum(agency in (attended[mid] & invited[mid]) for mid in meeting_ids)
            agencies.append(
                AgencyAttendance(
                    agency=agency,
                    invited=n_invited,
                    invited_pct=pct(n_invited, held_count),
                    attended=n_attended,
                    attended_pct_of_invited=pct(n_attended, n_invited),
                )
            )
        all_invited = sum(statutory <= invited[mid] for mid in meeting_ids)
        all_attended = sum(statutory <= (attended[mid] & invited[mid]) for mid in meeting_ids)
        groups.append(
            AttendanceGroup(
                period=key if group_by == "month" else f"{from_date}/{to_date}",
                team=key if group_by == "team" else None,
                meetings_held=held_count,
                agencies=agencies,
                all_statutory_invited=all_invited,
                all_statutory_invited_pct=pct(all_invited, held_count),
                all_statutory_attended=all_attended,
                all_statutory_attended_pct=pct(all_attended, held_count),
            )
        )
    return AttendanceCompliance(
        from_date=from_date,
        to_date=to_date,
        group_by=group_by,
        known_at=as_utc(known_at_time) if known_at_time else None,
        statutory_partners=list(statutory_partners),
        groups=groups,
    )
