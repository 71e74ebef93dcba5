"""The benchmark log (``python -m benchmarks.log``, run as a process: tests never import
``benchmarks``) is realistic enough for the reports it is meant to time: recorded over months,
with actions overdue as of its last day and as the records stood earlier."""

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from typing import Any

from infrastructure.config import Settings
from tests.e2e.processes import add_user, cli_json, process_env


def generate(env: dict[str, str], *options: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.log", *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def test_the_log_is_recorded_over_months_with_overdue_actions(settings: Settings) -> None:
    env = process_env(settings)
    summary = generate(env, "--events", "6000")
    first, last = (datetime.fromisoformat(summary[k]) for k in ("first", "last"))
    assert 6000 <= summary["events"] < 6000 + 3000
    assert last - first > timedelta(days=30)
    assert last.date() < date.today()
    # About 300 meetings a month, and far fewer recommendations.
    assert 6 < meetings_a_day(summary) < 14
    assert 0 < summary["recommendations"] < summary["actions"] < summary["meetings"]

    token = add_user(env, "Bench", "governance")
    as_of = last.date().isoformat()
    overdue = cli_json(env, "report", "overdue", "--as-of", as_of, token=token)["rows"]
    assert overdue
    earlier = (first + (last - first) / 2).isoformat()
    known = cli_json(
        env, "report", "overdue", "--as-of", as_of, "--known-at", earlier, token=token
    )["rows"]
    # Recorded over time: as the records stood halfway, other actions were overdue (some
    # completed or re-dated since).
    assert known
    assert {r["action_id"] for r in known} != {r["action_id"] for r in overdue}
    attendance = cli_json(
        env, "report", "attendance", "--from", first.date().isoformat(), "--to", as_of, token=token
    )["groups"]
    assert len(attendance) >= 2


def meetings_a_day(summary: dict[str, Any]) -> float:
    first, last = (datetime.fromisoformat(summary[k]) for k in ("first", "last"))
    return float(summary["meetings"]) / ((last - first).total_seconds() / 86400)


def test_the_dense_log_packs_ten_times_the_meetings_into_each_day(settings: Settings) -> None:
    # About 10 meetings a day normally (300 a month), ten times as many when dense.
    dense = generate(process_env(settings), "--events", "6000", "--dense")
    assert 60 < meetings_a_day(dense) < 150
