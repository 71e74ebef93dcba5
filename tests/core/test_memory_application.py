"""The application on the in-memory store: the same checks and answers as on a database."""

import pytest

from application import commands as c
from application.batch import CommandBatch
from application.errors import KeyReused
from application.receipts import Receipt, command_digest
from application.service import ActionTrail
from domain.meeting import StrategyMeeting
from domain.values import Actor
from infrastructure.storage.memory_store import MemoryRecorder, build_memory_application
from tests.builders import held_meeting, request_meeting


@pytest.fixture
def memory() -> ActionTrail:
    return build_memory_application()


def test_commands_run_in_memory_with_log_positions(memory: ActionTrail, governance: Actor) -> None:
    meeting_id = held_meeting(memory, governance)

    history = memory.history(meeting_id, governance, StrategyMeeting)

    assert [entry.position for entry in history] == list(range(1, memory.head() + 1))


def test_the_memory_recorder_keeps_receipts_of_keyed_commands(
    memory: ActionTrail, governance: Actor
) -> None:
    invite = c.InviteAgency(
        meeting_id=request_meeting(memory, governance), agency="police", command_id="k-1"
    )

    result = memory.execute(invite, governance)

    recorder = memory.recorder
    assert isinstance(recorder, MemoryRecorder)
    assert recorder.find_receipt(governance.user_id, "k-1") == Receipt(
        governance.user_id, "k-1", command_digest(invite), result.id, result.version
    )
    with pytest.raises(KeyReused):
        memory.execute(invite.model_copy(update={"agency": "health"}), governance)


def test_a_batch_runs_in_memory(memory: ActionTrail, governance: Actor) -> None:
    meeting_id = request_meeting(memory, governance)

    def invite_two(batch: CommandBatch) -> None:
        for agency in ("police", "health"):
            batch.run(c.InviteAgency(meeting_id=meeting_id, agency=agency, command_id=agency))

    batch = memory.execute_all(invite_two, governance)

    assert [result.position for result in batch.results()] == [2, 3]
