"""The read side for one command: caught up with the log (with a progress bar) first."""

from collections.abc import Iterator
from contextlib import contextmanager

from application.service import ActionTrail
from infrastructure.cli.output import progress_bar
from infrastructure.config import Settings
from infrastructure.projections_wiring import build_read_service
from projections.service import ReadService


@contextmanager
def caught_up(settings: Settings, trail: ActionTrail, quiet: bool) -> Iterator[ReadService]:
    """A read service whose projections reflect every event written so far."""
    service = build_read_service(settings, trail)
    try:
        with progress_bar(quiet) as bar:
            task = bar.add_task("updating the read models", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            service.runner.catch_up(progress=advance)
        yield service
    finally:
        service.runner.engine.dispose()
