"""Rules run in memory (``app``); a test of storage asks for ``stored_app`` (both stores)."""

from collections.abc import Callable, Iterator

import pytest

from application.commands import Command
from application.service import ActionTrail
from domain.values import Actor
from infrastructure.storage.memory_store import build_memory_application

Rejects = Callable[[type[Exception], Command, Actor], pytest.ExceptionInfo[Exception]]


@pytest.fixture
def app() -> Iterator[ActionTrail]:
    """The application in memory: the domain's rules do not depend on the store."""
    application = build_memory_application()
    yield application
    application.close()


@pytest.fixture
def rejects(app: ActionTrail) -> Rejects:
    """Run a command that must fail with the given error and write nothing."""

    def check(
        error: type[Exception], command: Command, actor: Actor
    ) -> pytest.ExceptionInfo[Exception]:
        head = app.head()
        with pytest.raises(error) as info:
            app.execute(command, actor)
        assert app.head() == head, "a rejected command wrote events"
        return info

    return check
