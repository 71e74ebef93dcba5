"""Ways to record read-side scenarios through the application, at chosen recorded times."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from freezegun import freeze_time
from sqlalchemy import Engine, select

from application import commands as c
from application.service import ActionTrail
from domain.codes import ActionSourceKind, MeetingFormat, MeetingKind
from domain.values import Actor
from projections.runner import ProjectionRunner
from projections.tables import metadata


@contextmanager
def recorded_at(moment: datetime | str) -> Iterator[None]:
    """Commands inside record their events at this time (freezegun freezes the clock)."""
    with freeze_time(moment):
        yield


def utc(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


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
        meeting_id = app.execute(
            c.RequestMeeting(
                case_ref="CASE-1",
                concern_raised_at=concern,
                kind=MeetingKind.CHILD_PROTECTION,
                team=team,
            ),
            by,
        ).id
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


def action(
    app: ActionTrail,
    by: Actor,
    *,
    on: datetime,
    due_on: date,
    agency: str = "health",
    ref: str = "MARAC-7",
) -> UUID:
    with recorded_at(on):
        return app.execute(
            c.AssignAction(
                source=c.ActionSourceIn(kind=ActionSourceKind.MARAC, ref=ref),
                agency=agency,
                description="Flag the case on the GP record",
                due_on=due_on,
            ),
            by,
        ).id


def run(app: ActionTrail, by: Actor, on: datetime, *commands: c.Command) -> None:
    with recorded_at(on):
        for command in commands:
            app.execute(command, by)


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


def days(n: int) -> timedelta:
    return timedelta(days=n)
