"""The reads of one command: the presentation's queries, the read side caught up first."""

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from application.queries import Query
from infrastructure.bootstrap import Services
from infrastructure.cli.context import asking, load_settings, open_services
from infrastructure.cli.output import progress_bar
from infrastructure.presentation.queries import Queries
from infrastructure.storage.users import User
from projections.service import ReadService


def answer(args: argparse.Namespace, query: Query, *, quiet: bool, catch_up: bool = True) -> Any:
    """The answer to ``query`` for the user whose token ``args`` give, refused unless their role
    may ask it, from the configured database (``reading``: caught up first, unless told not)."""
    with asked_by(args, type(query)) as (services, user):
        return reading(services, quiet, catch_up).ask(user.actor, query)


@contextmanager
def asked_by(args: argparse.Namespace, kind: type[Query]) -> Iterator[tuple[Services, User]]:
    """The configured database's services (closed after) and the user whose token ``args``
    give, refused unless their role may ask ``kind``."""
    with open_services(load_settings()) as services:
        yield services, asking(services.users, args, kind)


def reading(services: Services, quiet: bool, catch_up: bool = True) -> Queries:
    """The queries of one command.

    With ``catch_up`` the read side is brought up to the log's head at once (with a progress
    bar, unless ``quiet``), so that reports reflect every event written so far. Without, it is
    built only if a query needs it (reading one aggregate needs only the application) and
    shows the read models as they stand.
    """
    if catch_up:
        caught_up(services, quiet)
    return services.queries


def caught_up(services: Services, quiet: bool) -> ReadService:
    """The read service, its projections caught up with every event written so far."""
    read = services.read
    with progress_bar(quiet) as bar:
        task = bar.add_task("updating the read models", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        read.runner.catch_up(progress=advance)
    return read
