"""One bootstrap: the services build each part on first use, follow the log when asked, and
close what they built."""

from datetime import date

from domain.values import Actor
from infrastructure.bootstrap import Services, build_services
from infrastructure.config import Settings
from infrastructure.storage.notification import NotifyingActionTrail
from tests.builders import action, utc


def built(services: Services) -> list[str]:
    parts = {"trail": services._trail, "users": services._users, "read": services._read}
    return [name for name, part in parts.items() if part.value is not None]


def test_parts_are_built_on_first_use_and_closed_together(settings: Settings) -> None:
    with build_services(settings) as services:
        assert built(services) == []
        assert services.users.count() == 0
        assert built(services) == ["users"]
        assert services.read.runner.head() == 0
        assert built(services) == ["trail", "users", "read"]
        assert services.notifier is None
        assert not services.read.runner.running
    assert built(services) == []


def test_following_services_run_the_read_side_woken_by_saves(
    settings: Settings, governance: Actor
) -> None:
    with build_services(settings, follow=True) as services:
        trail = services.trail
        assert isinstance(trail, NotifyingActionTrail)
        assert trail.on_saved  # the notifier pokes the runner
        assert services.notifier is not None
        assert services.read.runner.running
        action(services.trail, governance, on=utc(2023, 6, 1), due_on=date(2023, 7, 1))
        assert services.read.runner.wait_for(services.trail.head(), timeout=10)
        read = services.read
    assert not read.runner.running
