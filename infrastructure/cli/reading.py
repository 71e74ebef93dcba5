"""The read side for one command: caught up with the log (with a progress bar) first."""

from infrastructure.bootstrap import Services
from infrastructure.cli.output import progress_bar
from projections.service import ReadService


def caught_up(services: Services, quiet: bool) -> ReadService:
    """The read service, its projections caught up with every event written so far."""
    read = services.read
    with progress_bar(quiet) as bar:
        task = bar.add_task("updating the read models", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        read.runner.catch_up(progress=advance)
    return read
