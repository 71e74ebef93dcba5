"""A fresh application and read side on one store, for each example Hypothesis tries."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from hypothesis import HealthCheck, settings

from application import commands as c
from application.errors import ApplicationError
from application.service import ActionTrail
from application.views import CommandResult
from domain.codes import Role
from domain.errors import DomainError
from domain.values import Actor
from infrastructure.read_side import build_read_service
from projections.service import ReadService
from tests.builders import recorded_at
from tests.conftest import fresh_application

ACTOR = Actor("u-governance", Role.GOVERNANCE)

#: Each example writes a database of its own: none has a deadline.
SLOW_EXAMPLES = [HealthCheck.too_slow]


def examples_on(store: str, on_sqlite: int) -> settings:
    """Hypothesis's settings on ``store``: all the examples on SQLite, a third on PostgreSQL.

    Both stores run the same application and the same SQL of the read models against the same
    oracle, so the rules are proven by SQLite's examples; PostgreSQL's prove its dialect and types
    give the same answers, which a third of them reach as well, while each example's new schema
    there costs several times SQLite's new file."""
    return settings(
        max_examples=on_sqlite if store == "sqlite" else max(1, on_sqlite // 3),
        deadline=None,
        suppress_health_check=SLOW_EXAMPLES,
    )


@contextmanager
def fresh(store: str, batch_size: int | None = None) -> Iterator[tuple[ActionTrail, ReadService]]:
    """An application and its read side on a new database (a schema of its own on PostgreSQL),
    dropped afterwards."""
    with fresh_application(store) as (settings, app):
        reads = (
            build_read_service(settings, app)
            if batch_size is None
            else build_read_service(settings, app, batch_size=batch_size)
        )
        try:
            yield app, reads
        finally:
            reads.stop()
            reads.runner.engine.dispose()


def answer(app: ActionTrail, command: c.Command, at: datetime) -> CommandResult | None:
    """The command's answer, recorded at ``at``; None if refused (nothing written)."""
    with recorded_at(at):
        try:
            return app.execute(command, ACTOR)
        except (DomainError, ApplicationError):
            return None
