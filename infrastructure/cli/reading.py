"""The reads of one command: the presentation's queries, over a read side built for it."""

from collections.abc import Iterator
from contextlib import contextmanager

from application.service import ActionTrail
from infrastructure.cli.output import progress_bar
from infrastructure.config import Settings
from infrastructure.presentation.queries import Queries
from infrastructure.projections_wiring import build_read_service
from projections.service import ReadService


@contextmanager
def reading(
    settings: Settings, trail: ActionTrail, quiet: bool, catch_up: bool = True
) -> Iterator[Queries]:
    """The queries of one command.

    With ``catch_up`` the read side is brought up to the log's head at once (with a progress
    bar, unless ``quiet``), so that reports reflect every event written so far. Without, it is
    built only if a query needs it (reading one aggregate needs only the application) and
    shows the read models as they stand.
    """
    built: list[ReadService] = []

    def read() -> ReadService:
        if not built:
            built.append(build_read_service(settings, trail))
        return built[0]

    try:
        if catch_up:
            _catch_up(read(), quiet)
        yield Queries(read, trail)
    finally:
        for service in built:
            service.runner.engine.dispose()


def _catch_up(service: ReadService, quiet: bool) -> None:
    with progress_bar(quiet) as bar:
        task = bar.add_task("updating the read models", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        service.runner.catch_up(progress=advance)
