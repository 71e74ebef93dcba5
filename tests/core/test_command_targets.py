"""Each command declares its target once; the application, HTTP and the importer read it."""

from uuid import UUID

import pytest

from application import commands as c
from application.handlers import HANDLERS
from domain.events import TrailAggregate


@pytest.mark.parametrize("command", list(HANDLERS), ids=lambda t: t.__name__)
def test_every_handled_command_declares_its_target(command: type[c.Command]) -> None:
    assert issubclass(command.target_type, TrailAggregate)
    if issubclass(command, c.CreationCommand):
        assert command.target_field is None
    else:
        assert command.target_field is not None
        assert command.model_fields[command.target_field].annotation is UUID


def test_a_command_names_its_target_id() -> None:
    meeting_id = UUID(int=7)

    command = c.CancelMeeting(meeting_id=meeting_id, reason="duplicate referral")

    assert command.target_id() == meeting_id
