"""Meeting timeliness: working days from concern to meeting, and from meeting to shared record."""

from sqlalchemy import Connection, select

from domain.clock import as_utc, london_date
from domain.codes import MeetingStatus
from projections.base import Period, known_at
from projections.models import MeetingTimeliness, MeetingTimelinessRow, pct
from projections.sealing import PLAIN, Sealer
from projections.standards import Standards
from projections.tables import meetings


def query_meeting_timeliness(
    conn: Connection, standards: Standards, period: Period, sealer: Sealer = PLAIN
) -> MeetingTimeliness:
    """Meetings held (London date) in ``period``, as known then.

    Held within standard: held on or before the Nth working day after the London date the
    concern was raised (day 0). Record shared within standard: first shared on or before the Mth
    working day after the meeting; a record not yet shared is not within standard. Both
    percentages are of the meetings held.
    """
    m = meetings
    from_date, to_date, known_at_time = period.from_date, period.to_date, period.known_at
    statement = (
        select(
            m.c.meeting_id,
            m.c.case_ref,
            m.c.team,
            m.c.concern_raised_at,
            m.c.held_at,
            m.c.record_shared_at,
        )
        .where(
            known_at(m, known_at_time),
            m.c.status == MeetingStatus.HELD.value,
            m.c.held_on >= from_date,
            m.c.held_on <= to_date,
        )
        .order_by(m.c.held_at, m.c.meeting_id)
    )
    calendar = standards.calendar
    record_days = standards.record_shared_within_working_days
    rows = []
    for meeting_id, case_ref, team, concern_raised_at, held_at, shared_at in conn.execute(
        statement
    ):
        concern_on, held_on = london_date(concern_raised_at), london_date(held_at)
        shared_on = london_date(shared_at) if shared_at is not None else None
        rows.append(
            MeetingTimelinessRow(
                meeting_id=meeting_id,
                case_ref=sealer.open(case_ref),
                team=team,
                concern_raised_at=concern_raised_at,
                held_at=held_at,
                working_days_to_meeting=calendar.working_days_between(concern_on, held_on),
                held_within_standard=calendar.within(
                    concern_on, held_on, standards.meeting_within_working_days
                ),
                record_shared_at=shared_at,
                working_days_to_record_shared=(
                    calendar.working_days_between(held_on, shared_on) if shared_on else None
                ),
                record_shared_within_standard=shared_on is not None
                and calendar.within(held_on, shared_on, record_days),
            )
        )
    held_ok = sum(row.held_within_standard for row in rows)
    shared_ok = sum(row.record_shared_within_standard for row in rows)
    return MeetingTimeliness(
        from_date=from_date,
        to_date=to_date,
        known_at=as_utc(known_at_time) if known_at_time else None,
        meeting_within_working_days=standards.meeting_within_working_days,
        record_shared_within_working_days=standards.record_shared_within_working_days,
        meetings_held=len(rows),
        held_within_standard=held_ok,
        held_within_standard_pct=pct(held_ok, len(rows)),
        records_shared_within_standard=shared_ok,
        records_shared_within_standard_pct=pct(shared_ok, len(rows)),
        rows=rows,
    )
