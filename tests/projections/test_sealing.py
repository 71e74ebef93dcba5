"""With a cipher key, no case reference or free text is stored in plaintext, read models included.

The scenario runs every command that carries free text, each field holding a distinctive marker;
the storage is then searched for the markers: on SQLite the raw bytes of the database file and
its WAL, on both stores every text, JSON and binary column of every table.
"""

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.utils import Environment
from psycopg.sql import SQL, Identifier
from pydantic import SecretStr

from application import commands as c
from application.queries import AuditLogQuery
from application.service import ActionTrail
from domain.codes import (
    ActionSourceKind,
    AssuranceKind,
    Decision,
    MeetingFormat,
    MeetingKind,
    QualityRating,
    Rag,
    RecommendationSourceKind,
    RecommendationStatus,
)
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.read_side import build_read_service
from infrastructure.rebuild import rebuild
from infrastructure.storage.database import postgres_conninfo
from projections.errors import UnsealableText
from projections.sealing import PLAIN, Sealer
from projections.service import ReadService
from tests.builders import recorded_at
from tests.conftest import drop_schema, make_settings

CASE = "CASE-SECRET-7f3a"
TEXT = "SECRET-TEXT-91b2"
MARKERS = (CASE, TEXT)

#: The read-model tables the scenario must reach with each marker (without a key, in plaintext).
PLAINTEXT_WITHOUT_KEY = {
    CASE: {"rm_audit_log", "rm_meetings", "rm_action_segments", "rm_recommendations"},
    TEXT: {
        "rm_audit_log",
        "rm_action_segments",
        "rm_quality_assessments",
        "rm_recommendations",
        "rm_responses",
        "rm_response_corrections",
        "rm_status_changes",
    },
}


def text(field: str) -> str:
    return f"{TEXT} {field}"


class Scenario:
    """Commands with deterministic ids (command ids) at chosen recorded times."""

    def __init__(self, app: ActionTrail, by: Actor, reads: ReadService) -> None:
        self.app, self.by, self.reads = app, by, reads
        self.count = 0

    def run(self, at: str, *commands: c.Command) -> list[UUID]:
        ids = []
        with recorded_at(at):
            for command in commands:
                self.count += 1
                keyed = command.model_copy(update={"command_id": f"cmd-{self.count}"})
                ids.append(self.app.execute(keyed, self.by).id)
        self.reads.sync()
        return ids


def every_free_text(app: ActionTrail, by: Actor, reads: ReadService) -> dict[str, UUID]:
    """Every command that carries free text; the read models catch up after each step, so later
    versions of a row are built from rows read back from the database."""
    s = Scenario(app, by, reads)
    (meeting,) = s.run(
        "2024-01-08T09:00Z",
        c.RequestMeeting(
            case_ref=CASE,
            concern_raised_at=datetime(2024, 1, 8, 8, tzinfo=UTC),
            kind=MeetingKind.CHILD_PROTECTION,
            team="North",
        ),
    )
    s.run(
        "2024-01-08T10:00Z",
        *(c.InviteAgency(meeting_id=meeting, agency=a) for a in ("police", "health")),
        c.RescheduleMeeting(
            meeting_id=meeting,
            scheduled_for=datetime(2024, 1, 9, 9, tzinfo=UTC),
            reason=text("reschedule reason"),
        ),
    )
    (_, _, _, meeting_action, _, _) = s.run(
        "2024-01-09T12:00Z",
        c.HoldMeeting(
            meeting_id=meeting,
            held_at=datetime(2024, 1, 9, 9, tzinfo=UTC),
            format=MeetingFormat.VIRTUAL,
        ),
        c.RecordAttendance(
            meeting_id=meeting, agency="police", attended=True, note=text("attendance note")
        ),
        c.RecordDecision(
            meeting_id=meeting, decision=Decision.SECTION_47, rationale=text("rationale")
        ),
        c.AgreeMeetingAction(
            meeting_id=meeting,
            agency="health",
            description=text("meeting action description"),
            due_on=date(2024, 1, 15),
            owner_role=text("owner role"),
        ),
        c.ShareRecord(
            meeting_id=meeting, shared_at=datetime(2024, 1, 9, 11, tzinfo=UTC), agencies=["police"]
        ),
        c.AssessRecordQuality(
            meeting_id=meeting,
            rating=QualityRating.LACKS_CLARITY,
            audit_ref="AUDIT-2024",
            notes=text("quality notes"),
        ),
    )
    (cancelled,) = s.run(
        "2024-01-10T09:00Z",
        c.RequestMeeting(
            case_ref=f"{CASE}-2",
            concern_raised_at=datetime(2024, 1, 10, 8, tzinfo=UTC),
            kind=MeetingKind.MISSING,
            team="South",
        ),
    )
    s.run("2024-01-10T10:00Z", c.CancelMeeting(meeting_id=cancelled, reason=text("cancel")))

    (recommendation,) = s.run(
        "2024-01-11T09:00Z",
        c.RaiseRecommendation(
            source=c.RecommendationSourceIn(
                kind=RecommendationSourceKind.REVIEW, ref=CASE, title=text("source title")
            ),
            number=1,
            text=text("recommendation text"),
            raised_on=date(2024, 1, 11),
        ),
    )
    (_, _, recommendation_action, _) = s.run(
        "2024-01-12T09:00Z",
        c.RecordResponse(
            recommendation_id=recommendation, text=text("response"), dated=date(2024, 1, 12)
        ),
        c.CorrectResponse(
            recommendation_id=recommendation,
            number=1,
            text=text("corrected response"),
            reason=text("correction reason"),
        ),
        c.AgreeRecommendationAction(
            recommendation_id=recommendation,
            agency="police",
            description=text("recommendation action description"),
            due_on=date(2024, 1, 20),
        ),
        c.RecordAssurance(
            recommendation_id=recommendation,
            kind=AssuranceKind.DIP_SAMPLE,
            dated=date(2024, 1, 12),
            sample_size=16,
            measures=[c.MeasureIn(name=text("measure"), numerator=14, denominator=16)],
            summary=text("assurance summary"),
        ),
    )
    s.run(
        "2024-01-15T09:00Z",
        c.ChangeRecommendationStatus(
            recommendation_id=recommendation,
            status=RecommendationStatus.IN_PROGRESS,
            rag=Rag.AMBER,
            reason=text("status reason"),
        ),
        c.CloseRecommendation(
            recommendation_id=recommendation,
            evidence=text("closure evidence"),
            reason=text("closure reason"),
            override=True,
        ),
        c.ReopenRecommendation(recommendation_id=recommendation, reason=text("reopen reason")),
    )

    (action,) = s.run(
        "2024-01-16T09:00Z",
        c.AssignAction(
            source=c.ActionSourceIn(kind=ActionSourceKind.OTHER, ref=CASE),
            agency="education",
            description=text("action description"),
            due_on=date(2024, 1, 25),
            owner_role=text("action owner role"),
        ),
    )
    s.run(
        "2024-01-17T09:00Z",
        c.NoteProgress(action_id=action, note=text("progress note")),
        c.ProposeDueDate(action_id=action, due_on=date(2024, 2, 1), reason=text("proposal")),
        c.ReviseDueDate(action_id=action, due_on=date(2024, 1, 29), reason=text("revision")),
        c.ReassignAction(action_id=action, agency="health", reason=text("reassign reason")),
    )
    s.run(
        "2024-01-18T09:00Z",
        c.CompleteAction(
            action_id=action, completed_on=date(2024, 1, 18), evidence=text("evidence")
        ),
        c.ReopenAction(action_id=action, reason=text("action reopen reason")),
    )
    s.run("2024-01-19T09:00Z", c.CancelAction(action_id=recommendation_action, reason=text("x")))
    return {
        "meeting": meeting,
        "recommendation": recommendation,
        "action": action,
        "meeting_action": meeting_action,
    }


@pytest.fixture(params=[True, False], ids=["key", "no-key"])
def keyed(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def settings_for(store: str, tmp_path: Path, key: str | None) -> Settings:
    return make_settings(store, tmp_path, **({"cipher_key": key} if key else {}))


@pytest.fixture
def key_settings(store: str, tmp_path: Path, keyed: bool) -> Iterator[Settings]:
    settings = settings_for(store, tmp_path, AESCipher.create_key(32) if keyed else None)
    yield settings
    drop_schema(settings)


def raw_sqlite_bytes(settings: Settings) -> bytes:
    path = settings.sqlite_path
    files = [path, path.with_name(path.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def column_values(settings: Settings) -> dict[str, list[bytes]]:
    """Every text, JSON and binary value of every table, as bytes, by table."""
    found: dict[str, list[bytes]] = {}
    if settings.store == "sqlite":
        with sqlite3.connect(settings.sqlite_path) as conn:
            tables = [
                t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            for table in tables:
                for row in conn.execute(f'SELECT * FROM "{table}"'):
                    found.setdefault(table, []).extend(as_bytes(v) for v in row)
        return found
    with psycopg.connect(postgres_conninfo(settings)) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'USER-DEFINED')",
            (settings.database_schema,),
        ).fetchall()
        assert columns, "no columns found in the test schema"
        for table, column, kind in columns:
            value = (
                Identifier(column)
                if kind == "bytea"
                else SQL("{}::text").format(Identifier(column))
            )
            statement = SQL("SELECT {} FROM {}.{}").format(
                value, Identifier(settings.database_schema), Identifier(table)
            )
            found.setdefault(table, []).extend(as_bytes(v) for (v,) in conn.execute(statement))
    return found


def as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def tables_holding(values: dict[str, list[bytes]], marker: str) -> set[str]:
    return {table for table, items in values.items() if any(marker.encode() in v for v in items)}


def assert_storage(settings: Settings, keyed: bool) -> None:
    values = column_values(settings)
    for marker in MARKERS:
        holding = tables_holding(values, marker)
        if keyed:
            assert holding == set(), f"{marker} stored in plaintext in {sorted(holding)}"
        else:
            assert PLAINTEXT_WITHOUT_KEY[marker] <= holding, sorted(holding)
    if settings.store == "sqlite":
        raw = raw_sqlite_bytes(settings)
        for marker in MARKERS:
            assert (marker.encode() in raw) is not keyed, marker


def test_no_case_reference_or_free_text_in_plaintext_with_a_key(
    key_settings: Settings, keyed: bool, governance: Actor
) -> None:
    """Written incrementally, then rebuilt: neither leaves a marker readable with a key; without
    one, the same search finds them in every read model that holds text (so it can fail)."""
    app = build_application(key_settings)
    reads = build_read_service(key_settings, app, batch_size=3)
    try:
        every_free_text(app, governance, reads)
        assert_storage(key_settings, keyed)
        # Two processes: each builds its own application and sealer (on PostgreSQL, their
        # concurrent start-up DDL once failed with "tuple concurrently updated", so SQLite only).
        for processes in (1, 2) if key_settings.store == "sqlite" else (1,):
            rebuild(key_settings, app, processes=processes)
            assert_storage(key_settings, keyed)
    finally:
        reads.runner.engine.dispose()
        app.close()


def answers(reads: ReadService, ids: dict[str, UUID]) -> dict[str, Any]:
    """What the read side answers about the scenario: every report, the audit log, the feed."""
    january = (date(2024, 1, 1), date(2024, 1, 31))
    return {
        "overdue": reads.overdue_actions(date(2024, 2, 1)),
        "overdue as known": reads.overdue_actions(
            date(2024, 1, 26), known_at=datetime(2024, 1, 17, 12, tzinfo=UTC)
        ),
        "overdue of health": reads.overdue_actions(date(2024, 2, 1), agency="health"),
        "attendance": reads.attendance_compliance(*january),
        "attendance by team": reads.attendance_compliance(*january, group_by="team"),
        "timeliness": reads.meeting_timeliness(*january),
        "quality": reads.record_quality("AUDIT-2024"),
        "responses": reads.response_history(ids["recommendation"]),
        "audit log": reads.audit_log(AuditLogQuery(limit=1000)),
        "audit log of a meeting": reads.audit_log(AuditLogQuery(aggregate_id=ids["meeting"])),
        "audit log of health": reads.audit_log(AuditLogQuery(agency="health")),
        "events": reads.events_after(0, 1000),
    }


def test_the_read_side_answers_the_same_with_and_without_a_key(
    store: str, tmp_path: Path, governance: Actor
) -> None:
    """Kept up incrementally and rebuilt, with and without a key: the same answers."""
    results = []
    for key in (AESCipher.create_key(32), None):
        settings = settings_for(store, tmp_path / ("key" if key else "plain"), key)
        app = build_application(settings)
        reads = build_read_service(settings, app, batch_size=3)
        try:
            ids = every_free_text(app, governance, reads)
            incremental = answers(reads, ids)
            rebuild(settings, app, processes=1)
            assert answers(reads, ids) == incremental
            results.append(incremental)
        finally:
            reads.runner.engine.dispose()
            app.close()
            drop_schema(settings)
    with_key, without_key = results
    assert with_key == without_key
    assert with_key["overdue"].rows, "the scenario leaves actions overdue"
    assert TEXT in with_key["responses"].responses[0].text
    assert any(CASE in str(e.data) for e in with_key["audit log"].events)


def test_text_sealed_without_the_key_is_refused_with_what_to_do() -> None:
    sealer = Sealer(AESCipher(Environment(env={"CIPHER_KEY": AESCipher.create_key(32)})))
    other = Sealer(AESCipher(Environment(env={"CIPHER_KEY": AESCipher.create_key(32)})))
    sealed = sealer.seal(CASE)
    assert CASE not in sealed
    assert sealer.open(sealed) == CASE
    for stored in (CASE, other.seal(CASE)):
        with pytest.raises(UnsealableText, match="actiontrail projections rebuild"):
            sealer.open(stored)
    assert PLAIN.seal(CASE) == PLAIN.open(CASE) == CASE


def test_an_audit_log_written_with_a_key_is_refused_without_it(
    settings: Settings, governance: Actor
) -> None:
    keyed = settings.model_copy(update={"cipher_key": SecretStr(AESCipher.create_key(32))})
    app = build_application(keyed)
    reads = build_read_service(keyed, app)
    try:
        every_free_text(app, governance, reads)
        unkeyed = ReadService(reads.runner, reads.standards, snapshot=reads.snapshot)
        with pytest.raises(UnsealableText, match="ACTIONTRAIL_CIPHER_KEY"):
            unkeyed.audit_log(AuditLogQuery())
    finally:
        reads.runner.engine.dispose()
        app.close()
