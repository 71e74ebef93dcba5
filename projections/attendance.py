"""Attendance compliance for meetings held in a period, per agency, by month or by team."""

from collections import defaultdict
from datetime import date
from typing import Any, Literal

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Select,
    case,
    extract,
    func,
    literal_column,
    select,
    union_all,
)

from domain.clock import as_utc
from domain.codes import MeetingStatus
from projections.base import Period, known_at
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


def query_latest_held_on(conn: Connection) -> date | None:
    """The London date of the latest meeting held, as the records stand now (None: none)."""
    m = meetings.c
    statement = select(func.max(m.held_on)).where(
        m.recorded_to.is_(None), m.status == MeetingStatus.HELD.value
    )
    latest: date | None = conn.execute(statement).scalar()
    return latest


def query_attendance_compliance(
    conn: Connection,
    statutory_partners: tuple[str, ...],
    period: Period,
    group_by: GroupBy = "month",
) -> AttendanceCompliance:
    """Meetings held (London date) in ``period``, as known then.

    Per agency: invited (count, % of meetings held) and attended (count, % of those invited).
    An agency counts as invited when any of its sub-roles was, and as attended when the latest
    attendance record of any of its sub-roles says so. The statutory partners are always listed
    first, then every other agency invited in the group.
    """
    m, p = meetings, meeting_participants
    from_date, to_date, known_at_time = period.from_date, period.to_date, period.known_at
    held_in_period = (
        known_at(m, known_at_time),
        m.c.status == MeetingStatus.HELD.value,
        m.c.held_on >= from_date,
        m.c.held_on <= to_date,
    )
    # Counted in SQL by month (year * 100 + month) or team.
    month = extract("year", m.c.held_on) * 100 + extract("month", m.c.held_on)
    group = (month if group_by == "month" else m.c.team).label("grp")

    def key_of(value: Any) -> str:
        return (
            value if isinstance(value, str) else f"{int(value) // 100:04d}-{int(value) % 100:02d}"
        )

    held: dict[str, int] = defaultdict(int)
    for value, count in conn.execute(
        select(group, func.count()).where(*held_in_period).group_by(group)
    ):
        held[key_of(value)] += count
    # Per meeting and agency: invited when any sub-role was, attended when any sub-role did;
    # read once (a common table expression) for both counts below.
    per_agency = (
        select(
            group,
            p.c.meeting_id,
            p.c.agency,
            func.max(case((p.c.invited, 1), else_=0)).label("invited"),
            func.max(case((p.c.attended, 1), else_=0)).label("attended"),
        )
        .join(m, m.c.meeting_id == p.c.meeting_id)
        .where(*held_in_period, known_at(p, known_at_time))
        .group_by(group, p.c.meeting_id, p.c.agency)
        .cte("per_agency")
    )
    a = per_agency.c
    # Per group and agency: meetings it was invited to, and invited and attended.
    counts = select(
        literal_column("'agency'").label("kind"),
        a.grp,
        a.agency,
        func.sum(a.invited).label("invited"),
        func.sum(a.invited * a.attended).label("attended"),
    ).group_by(a.grp, a.agency)
    statutory = set(statutory_partners)
    statement: Select[Any] | CompoundSelect[Any] = counts
    if statutory:
        # Per group: meetings every statutory partner was invited to, and attended.
        per_meeting = (
            select(
                a.grp,
                func.sum(a.invited).label("invited"),
                func.sum(a.invited * a.attended).label("attended"),
            )
            .where(a.agency.in_(statutory))
            .group_by(a.grp, a.meeting_id)
            .subquery()
        )
        s = per_meeting.c
        every = len(statutory)
        every_partner = select(
            literal_column("'all'"),
            s.grp,
            literal_column("''"),
            func.sum(case((s.invited == every, 1), else_=0)),
            func.sum(case((s.attended == every, 1), else_=0)),
        ).group_by(s.grp)
        statement = union_all(counts, every_partner)
    invited: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    attended: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    all_invited: dict[str, int] = defaultdict(int)
    all_attended: dict[str, int] = defaultdict(int)
    for kind, value, agency, n_invited, n_attended in conn.execute(statement):
        key = key_of(value)
        if kind == "agency":
            invited[key][agency] += int(n_invited)
            attended[key][agency] += int(n_attended)
        else:
            all_invited[key] += int(n_invited)
            all_attended[key] += int(n_attended)
    if not statutory:  # every meeting invited (and was attended by) all of no agencies
        all_invited = all_attended = held

    keys = months(from_date, to_date) if group_by == "month" else sorted(held)
    groups = []
    for key in keys:
        held_count = held[key]
        others = sorted(
            agency for agency, n in invited[key].items() if n and agency not in statutory
        )
        agencies = []
        for agency in (*statutory_partners, *others):
            n_invited = invited[key][agency]
            n_attended = attended[key][agency]
            agencies.append(
                AgencyAttendance(
                    agency=agency,
                    invited=n_invited,
                    invited_pct=pct(n_invited, held_count),
                    attended=n_attended,
                    attended_pct_of_invited=pct(n_attended, n_invited),
                )
            )
        groups.append(
            AttendanceGroup(
                period=key if group_by == "month" else f"{from_date}/{to_date}",
                team=key if group_by == "team" else None,
                meetings_held=held_count,
                agencies=agencies,
                all_statutory_invited=all_invited[key],
                all_statutory_invited_pct=pct(all_invited[key], held_count),
                all_statutory_attended=all_attended[key],
                all_statutory_attended_pct=pct(all_attended[key], held_count),
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
