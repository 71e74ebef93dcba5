"""The command path in-process: one command (a progress note on an open action) through
``ActionTrail.execute``, beside the raw library's ``Application.save`` of the same change on
an aggregate already in memory."""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from application import commands as c
from application.service import ActionTrail
from benchmarks.harness import Row, latencies_ms, median, percentile, progress, time_row
from domain.action import AgencyAction
from tests.builders import ACTOR, envelope

#: Goal of issue 12: at least 0.8 of the raw save's speed.
GOAL = 0.8
NOTE = "Chased the named worker"


@dataclass(frozen=True)
class CommandTimes:
    """Medians over the repetitions, in ms."""

    p50: float
    p95: float
    raw_p50: float


def open_actions(app: ActionTrail, ids: list[UUID], wanted: int = 20) -> list[UUID]:
    """Up to ``wanted`` of ``ids`` still open (progress notes are refused once finished)."""
    found = [i for i in ids if not app.repository.get(i).is_finished]
    if not found:
        raise RuntimeError("the log has no open action to take progress notes")
    return found[:wanted]


def times(app: ActionTrail, actions: list[UUID], count: int, repeat: int) -> CommandTimes:
    targets = itertools.cycle(actions)

    def execute() -> None:
        app.execute(c.NoteProgress(action_id=next(targets), note=NOTE), ACTOR)

    loaded: Iterator[AgencyAction] = iter(())

    def raw_save() -> None:
        action = next(loaded)
        action.note_progress(note=NOTE, by=envelope())
        app.save(action)

    # Each repetition times the command path, then the raw save (on the actions as the
    # commands left them, loaded untimed), so that both see the same load of a shared machine.
    runs: list[list[float]] = []
    raw: list[float] = []
    for _ in range(repeat):
        runs.append(latencies_ms(execute, count))
        loaded = itertools.cycle([app.repository.get(i) for i in actions])
        raw.append(median(latencies_ms(raw_save, count)))
    return CommandTimes(
        median([median(r) for r in runs]), median([percentile(r, 0.95) for r in runs]), median(raw)
    )


def measure(
    store: str, app: ActionTrail, ids: list[UUID], count: int, repeat: int
) -> tuple[list[Row], CommandTimes]:
    progress(f"{store}: command path in-process, {count} commands x {repeat}")
    measured = times(app, open_actions(app, ids), count, repeat)
    row = time_row(
        "command in-process (p50)",
        store,
        measured.p50,
        measured.raw_p50,
        "raw `Application.save`",
        goal=GOAL,
        goal_on="ratio",
    )
    return [row], measured
