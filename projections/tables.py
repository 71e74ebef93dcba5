"""The read-model tables, beside the events (same SQLite file, or same PostgreSQL schema).

Tables carry no schema of their own: the read engine maps them to the configured schema. Every
table is owned by exactly one projection (see ``docs/read-models.md``). Bitemporal tables keep one
row per version with a validity interval in recorded time: ``recorded_from`` (inclusive) to
``recorded_to`` (exclusive, NULL while current), and the log positions that opened and closed it.
Case references and free text are in sealed columns (``projections.sealing``).
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData()

#: A log position as a primary key: on SQLite an ``INTEGER PRIMARY KEY`` (the rowid itself, so no
#: separate index to maintain), elsewhere a ``BIGINT``.
POSITION = BigInteger().with_variant(Integer, "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """A UTC moment: ``timestamptz`` on PostgreSQL, naive UTC ISO text on SQLite (whose
    ``DateTime`` writes the fields of the UTC time and leaves the zone out)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None and value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _sealed(name: str, *, nullable: bool = False) -> Column[str]:
    """A case reference or free text: sealed when a cipher is configured (``projections.sealing``),
    so ``Text`` whatever the length of the plain text."""
    return Column(name, Text, nullable=nullable, info={"sealed": True})


def sealed_columns(table: Table) -> tuple[str, ...]:
    """The names of the table's sealed columns."""
    return tuple(column.name for column in table.columns if column.info.get("sealed"))


def _open_rows(name: str, table: Table, *key: str) -> Index:
    """The current rows of a bitemporal table by key: what its projection reads and closes.

    Kept while a rebuild inserts (``info["during_rebuild"]``): without it every closing of an
    earlier batch's version would scan the table. It holds only the current rows, so it stays
    small and cheap to maintain.
    """
    return Index(
        name,
        *(table.c[column] for column in key),
        sqlite_where=table.c.recorded_to.is_(None),
        postgresql_where=table.c.recorded_to.is_(None),
        info={"during_rebuild": True},
    )


def _per_event(name: str, *columns: Column[Any]) -> Table:
    """A table of one row per event, keyed by the event's log ``position``."""
    key = Column("position", POSITION, primary_key=True, autoincrement=False)
    return Table(name, metadata, key, *columns)


def _bitemporal() -> list[Column[Any]]:
    return [
        Column("recorded_from", UtcDateTime(), nullable=False),
        Column("recorded_to", UtcDateTime()),
        Column("from_position", BigInteger, nullable=False),
        Column("to_position", BigInteger),
    ]


projection_positions = Table(
    "projection_positions",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

#: A projection that cannot apply the event at ``position`` stops just before it (its own
#: position is ``position - 1``) until it passes on a retry or by a recorded skip; see
#: ``projections.stalls``.
projection_stalls = Table(
    "projection_stalls",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("error", Text, nullable=False),
    Column("since", UtcDateTime(), nullable=False),
)

# Audit log: one row per event of the log. With a cipher, ``data`` is JSON ``null``: an event's
# data holds case references and free text, and the audit log reads it from the encrypted events.
audit_log = _per_event(
    "rm_audit_log",
    Column("aggregate_id", Uuid, nullable=False),
    Column("aggregate_type", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(128), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("effective_at", UtcDateTime()),
    Column("effective_on", Date),
    Column("actor_user", String(200), nullable=False),
    Column("actor_role", String(32), nullable=False),
    Column("actor_agency", String(100)),
    Column("subject_agency", String(100)),
    Column("command_id", String(200), nullable=False),
    Column("data", JSON, nullable=False),
)
Index("ix_audit_log_aggregate", audit_log.c.aggregate_id, audit_log.c.position)
Index("ix_audit_log_actor_user", audit_log.c.actor_user, audit_log.c.position)
Index("ix_audit_log_actor_agency", audit_log.c.actor_agency, audit_log.c.position)
Index("ix_audit_log_subject_agency", audit_log.c.subject_agency, audit_log.c.position)
Index("ix_audit_log_type", audit_log.c.type, audit_log.c.position)
Index("ix_audit_log_recorded_at", audit_log.c.recorded_at)

# Overdue actions: each action's effective-time timeline, one row per segment, versioned.
action_segments = Table(
    "rm_action_segments",
    metadata,
    Column("action_id", Uuid, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("status", String(16), nullable=False),
    Column("agency", String(100), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("revisions", Integer, nullable=False),
    Column("completed_on", Date),
    Column("original_due_on", Date, nullable=False),
    Column("agreed_on", Date, nullable=False),
    _sealed("owner_role", nullable=True),
    _sealed("description"),
    Column("source_kind", String(32), nullable=False),
    _sealed("source_ref"),
    *_bitemporal(),
)


Index("ix_action_segments_action", action_segments.c.action_id, action_segments.c.recorded_to)
_open_rows("ix_action_segments_open", action_segments, "action_id")
# Overdue as of a day, as known now or at T (``query_overdue_actions``): open segments, their end
# and the end of their version each an equality ("none yet") or a range ("after the day"), then
# the start of the version, the due date and the start of the segment, so that only the rows
# asked for are fetched from the table.
Index(
    "ix_action_segments_in_force",
    action_segments.c.status,
    action_segments.c.valid_to,
    action_segments.c.recorded_to,
    action_segments.c.recorded_from,
    action_segments.c.due_on,
    action_segments.c.valid_from,
)
# Completed late in a period (``query_completed_late``): completed segments by completion date,
# then the end and the start of their version.
Index(
    "ix_action_segments_completed",
    action_segments.c.completed_on,
    action_segments.c.recorded_to,
    action_segments.c.recorded_from,
    sqlite_where=action_segments.c.status == "completed",
    postgresql_where=action_segments.c.status == "completed",
)
# An open status, no end and the current version are each common, but together rare (the
# actions open now): without statistics of the three together PostgreSQL's planner takes them
# for independent, expects a third of the table and scans all of it in parallel.
action_segments.info["statistics"] = {
    "st_action_segments_open_now": ("status", "valid_to", "recorded_to")
}

#: Indexes of earlier versions, dropped where found: the planner could prefer them to their
#: replacements, and each costs every write.
RETIRED_INDEXES = (
    "ix_action_segments_known",
    "ix_action_segments_current",
    "ix_action_segments_known_at",
    "ix_meeting_participants_meeting",
)

# ...and the facts its timeline is made of, in the order recorded: what the overdue projection
# replays, in the order they took effect, when a late entry arrives.
action_facts = _per_event(
    "rm_action_facts",
    Column("action_id", Uuid, nullable=False),
    Column("fact", String(16), nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("due_on", Date),
    Column("agency", String(100)),
    Column("completed_on", Date),
)
Index(
    "ix_action_facts_action",
    action_facts.c.action_id,
    action_facts.c.position,
    info={"during_rebuild": True},  # late entries of earlier batches' actions read by it
)

# Strategy meetings (attendance and timeliness): one row per meeting version...
meetings = Table(
    "rm_meetings",
    metadata,
    Column("meeting_id", Uuid, nullable=False),
    _sealed("case_ref"),
    Column("kind", String(32), nullable=False),
    Column("team", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("concern_raised_at", UtcDateTime(), nullable=False),
    Column("held_at", UtcDateTime()),
    Column("held_on", Date),
    Column("record_shared_at", UtcDateTime()),
    *_bitemporal(),
)
Index(
    "ix_meetings_current_held_on",
    meetings.c.held_on,
    sqlite_where=meetings.c.recorded_to.is_(None),
    postgresql_where=meetings.c.recorded_to.is_(None),
)
Index("ix_meetings_meeting", meetings.c.meeting_id, meetings.c.recorded_to)
_open_rows("ix_meetings_open", meetings, "meeting_id")
Index("ix_meetings_known_held_on", meetings.c.held_on, meetings.c.recorded_from)

# ...and one row per version of each (meeting, agency, sub-role) participant.
meeting_participants = Table(
    "rm_meeting_participants",
    metadata,
    Column("meeting_id", Uuid, nullable=False),
    Column("agency", String(100), nullable=False),
    Column("role", String(100), nullable=False),
    Column("invited", Boolean, nullable=False),
    Column("attended", Boolean),
    *_bitemporal(),
)
# A meeting's participants in any version, with what attendance counts, read from the index
# alone (a year's attendance reads some 14k of them per 300 meetings a month).
Index(
    "ix_meeting_participants_versions",
    *(
        meeting_participants.c[column]
        for column in (
            "meeting_id",
            "recorded_to",
            "recorded_from",
            "agency",
            "invited",
            "attended",
        )
    ),
)
_open_rows("ix_meeting_participants_open", meeting_participants, "meeting_id", "agency", "role")

# Record quality: every assessment.
quality_assessments = _per_event(
    "rm_quality_assessments",
    Column("meeting_id", Uuid, nullable=False),
    Column("audit_ref", String(200), nullable=False),
    Column("rating", String(32), nullable=False),
    _sealed("notes", nullable=True),
    Column("assessed_by", String(200), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
)
Index(
    "ix_quality_assessments_audit", quality_assessments.c.audit_ref, quality_assessments.c.position
)

# Response history: recommendations, responses, corrections and status changes.
recommendations = Table(
    "rm_recommendations",
    metadata,
    Column("recommendation_id", Uuid, primary_key=True),
    Column("number", Integer, nullable=False),
    _sealed("text"),
    Column("source_kind", String(32), nullable=False),
    _sealed("source_ref"),
    _sealed("source_title"),
    Column("raised_on", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
)


def _recommendation_history(name: str, *columns: Column[Any]) -> Table:
    """One row per event of a recommendation's history (at its log ``position``), with when and
    by whom it was recorded, and an index of each recommendation's rows in the order recorded."""
    table = _per_event(
        name,
        Column("recommendation_id", Uuid, nullable=False),
        *columns,
        Column("recorded_at", UtcDateTime(), nullable=False),
        Column("by_user", String(200), nullable=False),
    )
    Index(
        f"ix_{name.removeprefix('rm_')}_recommendation", table.c.recommendation_id, table.c.position
    )
    return table


responses = _recommendation_history(
    "rm_responses",
    Column("number", Integer, nullable=False),
    _sealed("text"),
    Column("dated", Date, nullable=False),
    Column("agency", String(100)),
)
response_corrections = _recommendation_history(
    "rm_response_corrections",
    Column("number", Integer, nullable=False),
    _sealed("text"),
    _sealed("reason"),
)
status_changes = _recommendation_history(
    "rm_status_changes",
    Column("change", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("rag", String(16)),
    _sealed("reason"),
    Column("effective_on", Date, nullable=False),
)

# Governance's work queue: one versioned row per (action, kind) while an agency's submission
# waits for a decision (none once decided): what ``GET /queue`` lists, beside the action's
# current segment of ``rm_action_segments`` (open actions only).
work_queue = Table(
    "rm_work_queue",
    metadata,
    Column("action_id", Uuid, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("submitted_position", BigInteger, nullable=False),
    Column("due_on", Date),
    Column("effective_on", Date),
    *_bitemporal(),
)
_open_rows("ix_work_queue_open", work_queue, "action_id", "kind")
