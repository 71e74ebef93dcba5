"""The reports counted or narrowed in SQL answer as the plain computation in Python, on any rows.

The read-model tables are filled straight with random rows (meetings and participants in
versions that follow one another in recorded time, assessments re-rated), and each report is
compared with the simple computation it replaced, kept here as the reference.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, delete, insert, select

from domain.calendar import WorkingDayCalendar
from domain.codes import MeetingStatus, QualityRating
from projections.attendance import GroupBy, months, query_attendance_compliance
from projections.base import Period, known_at
from projections.models import AttendanceCompliance, RecordQuality, pct
from projections.overdue import query_overdue_actions
from projections.quality import query_record_quality
from projections.service import ReadService
from projections.tables import (
    action_segments,
    meeting_participants,
    meetings,
    quality_assessments,
)

AGENCIES = ("childrens-social-care", "police", "health", "education", "probation")
STATUTORY = ("childrens-social-care", "police", "health")
Counts = tuple[str, int, list[tuple[str, int, int]], int, int]
T0 = datetime(2024, 1, 1, tzinfo=UTC)
DAY0 = date(2023, 12, 1)


def simple_attendance(
    conn: Connection,
    statutory_partners: tuple[str, ...],
    from_date: date,
    to_date: date,
    group_by: GroupBy,
    known_at_time: datetime | None,
) -> list[Counts]:
    """The attendance report's counts as they were computed before: every row fetched, counted
    here; per group its key, meetings held, (agency, invited, attended) and all statutory
    partners invited and attended."""
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
    groups: list[Counts] = []
    for key, meeting_ids in members.items():
        others = sorted({a for mid in meeting_ids for a in invited[mid]} - statutory)
        counts = [
            (
                agency,
                sum(agency in invited[mid] for mid in meeting_ids),
                sum(agency in (attended[mid] & invited[mid]) for mid in meeting_ids),
            )
            for agency in (*statutory_partners, *others)
        ]
        every_invited = sum(statutory <= invited[mid] for mid in meeting_ids)
        every_attended = sum(statutory <= (attended[mid] & invited[mid]) for mid in meeting_ids)
        groups.append((key, len(meeting_ids), counts, every_invited, every_attended))
    return groups


def counted(report: AttendanceCompliance) -> list[Counts]:
    """The counts of a report (its percentages are ``pct`` of them), in the reference's shape."""
    return [
        (
            group.period if report.group_by == "month" else group.team or "",
            group.meetings_held,
            [(a.agency, a.invited, a.attended) for a in group.agencies],
            group.all_statutory_invited,
            group.all_statutory_attended,
        )
        for group in report.groups
    ]


def simple_record_quality(conn: Connection, audit_ref: str) -> RecordQuality:
    """Record quality as it was computed before: every assessment fetched, the latest kept."""
    t = quality_assessments
    statement = (
        select(t.c.meeting_id, t.c.rating).where(t.c.audit_ref == audit_ref).order_by(t.c.position)
    )
    latest = dict(conn.execute(statement).tuples().all())
    clear = sum(rating == QualityRating.CLEAR.value for rating in latest.values())
    lacks = sum(rating == QualityRating.LACKS_CLARITY.value for rating in latest.values())
    return RecordQuality(
        audit_ref=audit_ref,
        assessed=len(latest),
        clear=clear,
        lacks_clarity=lacks,
        clear_pct=pct(clear, len(latest)),
        lacks_clarity_pct=pct(lacks, len(latest)),
    )


def versions(cuts: list[int], last_open: bool) -> list[dict[str, Any]]:
    """Recorded-time intervals following one another, from hours after ``T0``."""
    hours = sorted(set(cuts))
    bounds = [T0 + timedelta(hours=h) for h in hours]
    ends: list[datetime | None] = [*bounds[1:], None if last_open else bounds[-1] + timedelta(1)]
    return [
        {"recorded_from": start, "recorded_to": end, "from_position": 1, "to_position": None}
        for start, end in zip(bounds, ends, strict=True)
    ]


STATUSES = st.sampled_from([MeetingStatus.HELD.value] * 4 + ["requested", "cancelled"])
participant = st.tuples(
    st.sampled_from([*STATUTORY, *STATUTORY, *AGENCIES]),
    st.sampled_from(["lead", "other"]),
    st.lists(st.tuples(st.booleans(), st.sampled_from([None, True, False])), min_size=1),
    st.lists(st.integers(0, 100), min_size=1, max_size=3),
    st.sampled_from([True, True, True, False]),
)
meeting = st.tuples(
    st.lists(
        st.tuples(STATUSES, st.integers(0, 70), st.sampled_from(["North", "South", "East"])),
        min_size=1,
        max_size=3,
    ),
    st.lists(st.integers(0, 100), min_size=3, max_size=3),
    st.sampled_from([True, True, True, False]),
    st.lists(participant, min_size=1, max_size=10),
)


def fill(conn: Connection, drawn: list[Any]) -> None:
    for table in (meeting_participants, meetings):
        conn.execute(delete(table))
    meeting_rows, participant_rows = [], []
    for meeting_versions, cuts, last_open, participants in drawn:
        meeting_id = uuid4()
        spans = versions(cuts[: len(meeting_versions)], last_open)
        for (status, day, team), span in zip(meeting_versions, spans, strict=False):
            held_on = DAY0 + timedelta(days=day) if status == MeetingStatus.HELD.value else None
            held_at = (
                datetime(held_on.year, held_on.month, held_on.day, 12, tzinfo=UTC)
                if held_on
                else None
            )
            meeting_rows.append(
                {
                    "meeting_id": meeting_id,
                    "case_ref": "C",
                    "kind": "child-protection",
                    "team": team,
                    "status": status,
                    "concern_raised_at": T0,
                    "held_at": held_at,
                    "held_on": held_on,
                    "record_shared_at": None,
                    **span,
                }
            )
        seen = set()
        for agency, role, states, p_cuts, p_open in participants:
            if (agency, role) in seen:
                continue
            seen.add((agency, role))
            for (was_invited, did_attend), span in zip(
                states, versions(p_cuts, p_open), strict=False
            ):
                participant_rows.append(
                    {
                        "meeting_id": meeting_id,
                        "agency": agency,
                        "role": role,
                        "invited": was_invited,
                        "attended": did_attend,
                        **span,
                    }
                )
    if meeting_rows:
        conn.execute(insert(meetings), meeting_rows)
    if participant_rows:
        conn.execute(insert(meeting_participants), participant_rows)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drawn=st.lists(meeting, min_size=5, max_size=25),
    start=st.integers(0, 30),
    length=st.integers(0, 3) | st.integers(40, 100),
    group_by=st.sampled_from(["month", "team"]),
    at=st.one_of(st.none(), st.integers(0, 120)),
    statutory=st.sampled_from([STATUTORY, ("police",), (), ("health", "police", "health")]),
)
def test_attendance_in_sql_equals_the_plain_count(
    reads: ReadService,
    drawn: list[Any],
    start: int,
    length: int,
    group_by: GroupBy,
    at: int | None,
    statutory: tuple[str, ...],
) -> None:
    from_date = DAY0 + timedelta(days=start)
    to_date = from_date + timedelta(days=length)
    moment = None if at is None else T0 + timedelta(hours=at, minutes=30)
    with reads.runner.engine.begin() as conn:
        fill(conn, drawn)
        fast = query_attendance_compliance(
            conn, statutory, Period(from_date, to_date, moment), group_by
        )
        simple = simple_attendance(conn, statutory, from_date, to_date, group_by, moment)
    assert counted(fast) == simple
    for group in fast.groups:
        assert group.all_statutory_invited_pct == pct(
            group.all_statutory_invited, group.meetings_held
        )
        for agency in group.agencies:
            assert agency.invited_pct == pct(agency.invited, group.meetings_held)
            assert agency.attended_pct_of_invited == pct(agency.attended, agency.invited)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    assessments=st.lists(
        st.tuples(
            st.integers(0, 8), st.sampled_from(["A1", "A2"]), st.sampled_from(list(QualityRating))
        ),
        max_size=40,
    ),
    audit_ref=st.sampled_from(["A1", "A2", "A3"]),
)
def test_record_quality_in_sql_equals_the_plain_count(
    reads: ReadService, assessments: list[tuple[int, str, QualityRating]], audit_ref: str
) -> None:
    ids = [uuid4() for _ in range(9)]
    rows = [
        {
            "position": position,
            "meeting_id": ids[n],
            "audit_ref": ref,
            "rating": rating.value,
            "notes": None,
            "assessed_by": "u",
            "recorded_at": T0,
        }
        for position, (n, ref, rating) in enumerate(assessments, start=1)
    ]
    with reads.runner.engine.begin() as conn:
        conn.execute(delete(quality_assessments))
        if rows:
            conn.execute(insert(quality_assessments), rows)
        fast = query_record_quality(conn, audit_ref)
        simple = simple_record_quality(conn, audit_ref)
    assert fast == simple


segment = st.tuples(
    st.sampled_from(["open", "open", "completed", "cancelled"]),
    st.integers(0, 60),  # starts, days after DAY0
    st.one_of(st.none(), st.integers(1, 40)),  # lasts (None: no end yet)
    st.integers(0, 90),  # due, days after DAY0
    st.sampled_from(["police", "health"]),
)
action = st.tuples(
    st.lists(st.lists(segment, min_size=1, max_size=3), min_size=1, max_size=3),
    st.lists(st.integers(0, 100), min_size=3, max_size=3),
    st.sampled_from([True, True, False]),
)


def overdue_by_reference(
    rows: list[dict[str, Any]], as_of: date, agency: str | None, moment: datetime | None
) -> list[UUID]:
    """Overdue actions by the plain definition, row by row: the version known at ``moment``,
    open and in force on ``as_of``, due before it."""
    return [
        row["action_id"]
        for row in sorted(rows, key=lambda r: (r["due_on"], r["action_id"]))
        if (
            row["recorded_to"] is None
            if moment is None
            else row["recorded_from"] <= moment
            and (row["recorded_to"] is None or row["recorded_to"] > moment)
        )
        and row["status"] == "open"
        and row["valid_from"] <= as_of
        and (row["valid_to"] is None or row["valid_to"] > as_of)
        and row["due_on"] < as_of
        and agency in (None, row["agency"])
    ]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drawn=st.lists(action, min_size=1, max_size=20),
    day=st.integers(0, 110),
    agency=st.sampled_from([None, "police"]),
    at=st.one_of(st.none(), st.integers(0, 120)),
)
def test_overdue_asked_by_ranges_equals_the_plain_definition(
    reads: ReadService,
    drawn: list[Any],
    day: int,
    agency: str | None,
    at: int | None,
) -> None:
    rows: list[dict[str, Any]] = []
    for timelines, cuts, last_open in drawn:
        action_id = uuid4()
        for segments, span in zip(timelines, versions(cuts, last_open), strict=False):
            for status, starts, lasts, due, owner in segments:
                valid_from = DAY0 + timedelta(days=starts)
                rows.append(
                    {
                        "action_id": action_id,
                        "valid_from": valid_from,
                        "valid_to": None if lasts is None else valid_from + timedelta(lasts),
                        "status": status,
                        "agency": owner,
                        "due_on": DAY0 + timedelta(days=due),
                        "revisions": 0,
                        "completed_on": None,
                        "original_due_on": DAY0,
                        "agreed_on": DAY0,
                        "owner_role": None,
                        "description": "d",
                        "source_kind": "strategy-meeting",
                        "source_ref": "r",
                        **span,
                    }
                )
    as_of = DAY0 + timedelta(days=day)
    moment = None if at is None else T0 + timedelta(hours=at, minutes=30)
    with reads.runner.engine.begin() as conn:
        conn.execute(delete(action_segments))
        conn.execute(insert(action_segments), rows)
        report = query_overdue_actions(conn, WorkingDayCalendar(), as_of, agency, moment)
    assert [r.action_id for r in report.rows] == overdue_by_reference(rows, as_of, agency, moment)
