"""The read side from settings: standards, the projection runner and the read service.

The runner decodes and writes through ``infrastructure.storage.fastpaths`` (the fast paths, or the
plain library path with ``ACTIONTRAIL_FAST_PATHS=0``); ``sealer_of`` seals read-model text with
the application's own cipher.
"""

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

from eventsourcing.utils import resolve_topic

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.storage.database import create_projection_engine, creating_tables, snapshot_of
from infrastructure.storage.fastpaths import decoder, row_writer
from projections.runner import ProjectionRunner, RunnerSettings, all_projections
from projections.sealing import Sealer
from projections.service import ReadService
from projections.standards import Standards

#: Events per batch when following the log (a rebuild reads larger batches).
FOLLOW_BATCH = 2000


def standards_from(settings: Settings) -> Standards:
    return Standards(
        statutory_partners=tuple(settings.reference().statutory_partners),
        meeting_within_working_days=settings.meeting_within_working_days,
        record_shared_within_working_days=settings.record_shared_within_working_days,
    )


def sealer_of(app: ActionTrail) -> Sealer:
    """Read-model text sealed with the application's own cipher (none: plain text)."""
    return Sealer(app.mapper.cipher)


def build_runner(
    settings: Settings,
    app: ActionTrail,
    batch_size: int = FOLLOW_BATCH,
    names: Sequence[str] | None = None,
    write_lock: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> ProjectionRunner:
    """A runner of all projections, or of those ``names``."""
    projections = [p for p in all_projections(sealer_of(app)) if names is None or p.name in names]
    return ProjectionRunner(
        recorder=app.recorder,
        decode=decoder(settings, app),
        engine=create_projection_engine(settings),
        projections=projections,
        settings=RunnerSettings(
            batch_size=batch_size,
            write_lock=write_lock,
            writer=row_writer(settings),
            event_class=resolve_topic,
            setup_lock=lambda: creating_tables(settings),
        ),
    )


def build_read_service(
    settings: Settings, app: ActionTrail, consistent: bool = True, batch_size: int = FOLLOW_BATCH
) -> ReadService:
    return ReadService(
        build_runner(settings, app, batch_size),
        standards_from(settings),
        consistent=consistent,
        sealer=sealer_of(app),
        snapshot=snapshot_of(settings),
    )
