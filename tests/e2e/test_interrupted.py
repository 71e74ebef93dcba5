"""Ctrl-C (SIGINT) on the command line, sent to a real process: a report interrupted in its
first moments exits 130 with one line, never a traceback; an import interrupted says whether
anything was written, and what it says is what the log holds (both stores)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infrastructure.config import Settings
from tests.builders import EVENTS_PER_MEETING, write_import_file
from tests.e2e.processes import add_user, cli, process_env
from tests.e2e.test_import_killed import stored

INTERRUPTED = "error: interrupted\n"
NOTHING_WRITTEN = (
    "error: interrupted; nothing was written (an import is all or nothing: importing the file "
    "again writes it whole)\n"
)
#: Pauses before SIGINT is sent: the moments a command starts in.
PAUSES = (0.0, 0.02, 0.05, 0.1, 0.2, 0.4)


#: ``python -X importtime`` notes each module on standard error once imported; ``main`` has
#: begun once a module of the command line's own is (the package imports none of them).
COMMAND_MODULES = "infrastructure.cli."


def interrupted(env: dict[str, str], argv: list[str], pause: float) -> tuple[int, str, bool]:
    """``actiontrail ARGV`` sent SIGINT ``pause`` seconds after ``main`` has begun importing
    the command's modules: its exit code, standard error (the import notes left out) and whether
    SIGINT was sent (not if it had ended first)."""
    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "infrastructure.cli", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.split("|")[-1].strip().startswith(COMMAND_MODULES):
                break
        time.sleep(pause)
        sent = process.poll() is None
        if sent:
            os.kill(process.pid, signal.SIGINT)
        _, rest = process.communicate(timeout=120)
    finally:
        process.kill()
    err = "".join(lines) + rest
    notes = "".join(
        line for line in err.splitlines(keepends=True) if not line.startswith("import time:")
    )
    return process.returncode, notes, sent


def test_a_report_interrupted_in_its_first_moments_exits_130_without_a_traceback(
    settings: Settings,
) -> None:
    env = process_env(settings)
    token = add_user(env, "Gill", "governance")
    answers = [
        interrupted(env, ["report", "overdue", f"--token={token}"], pause) for pause in PAUSES
    ]

    for code, err, _ in answers:
        assert "Traceback" not in err
        # 0: done before the signal could take effect (sent as the process was ending)
        assert (code, err) in ((130, INTERRUPTED), (0, "")), (code, err)
    assert answers[0] == (130, INTERRUPTED, True)


@pytest.mark.parametrize("pause", [0.0, 1.0])
def test_an_import_interrupted_says_what_was_written_and_it_is_so(
    settings: Settings, tmp_path: Path, pause: float
) -> None:
    env = process_env(settings)
    token = add_user(env, "Gill", "governance")
    meetings = 300
    path = write_import_file(tmp_path / "meetings.json", meetings)

    code, err, _ = interrupted(env, ["import", str(path), f"--token={token}"], pause)

    assert "Traceback" not in err
    assert code in (0, 130), err
    if code == 0:  # done before the signal could take effect: the file written, as it said
        assert stored(settings) == meetings * EVENTS_PER_MEETING
    elif err == NOTHING_WRITTEN:
        assert stored(settings) == 0
    else:  # Ctrl-C came while the transaction was saved: it was, whole
        said = f"error: interrupted while {path} was being written: it was written whole"
        assert said in err
        assert stored(settings) == meetings * EVENTS_PER_MEETING
    again = cli(env, "import", str(path), "--json", f"--token={token}")
    assert again.returncode == 0, again.stderr
    assert stored(settings) == meetings * EVENTS_PER_MEETING
    assert json.loads(again.stdout)["events_written"] in (0, meetings * EVENTS_PER_MEETING)


#: An import run by ``entry()`` (the ``actiontrail`` program), then Ctrl-C as the interpreter
#: frees the modules: the moment CPython has put SIGINT's default action back.
CTRL_C_AT_TEARDOWN = """
import os, signal, sys
from infrastructure.cli import entry

class CtrlCWhenFreed:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)

freed_last = CtrlCWhenFreed()
sys.argv = ["actiontrail", *sys.argv[1:]]
sys.exit(entry())
"""


def test_a_ctrl_c_after_an_import_was_written_and_told_keeps_its_exit_code(
    settings: Settings, tmp_path: Path
) -> None:
    env = process_env(settings)
    token = add_user(env, "Gill", "governance")
    path = write_import_file(tmp_path / "meetings.json", 2)

    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_AT_TEARDOWN, "import", str(path), f"--token={token}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (done.returncode, "Traceback" in done.stderr) == (0, False), done.stderr
    assert stored(settings) == 2 * EVENTS_PER_MEETING
