"""How long the server takes to render each console page on the demo database.

Each page is asked ``--times`` times in-process (FastAPI's TestClient, so no network), after
one warm-up request; the median and the slowest are printed in milliseconds.

Usage: ``actiontrail demo --json > demo.json`` then
``.venv/bin/python -m benchmarks.console_pages demo.json`` (``--times 50``).
"""

import argparse
import json
import statistics
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks.signin import BASE_URL, sign_in
from infrastructure.config import Settings
from infrastructure.console.security import COOKIE
from infrastructure.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def pages(printed: dict[str, Any]) -> dict[str, str]:
    """The console's pages, with the demo's ids."""
    reports = printed["reports"]
    recommendation = reports["responses"]["recommendation_id"]
    action = reports["overdue"]["rows"][0]["action_id"]
    meeting = reports["timeliness_audit"]["rows"][0]["meeting_id"]
    return {
        "sign-in": "/console/sign-in",
        "dashboard (Jun-Dec 2023)": "/console/dashboard?from=2023-06-01&to=2023-12-31",
        "meetings": "/console/meetings",
        "recommendations": "/console/recommendations",
        "actions": "/console/actions",
        "actions CSV": "/console/actions.csv",
        "recommendation": f"/console/recommendations/{recommendation}",
        "recommendation as at version 1": f"/console/recommendations/{recommendation}?version=1",
        "action": f"/console/actions/{action}",
        "meeting": f"/console/meetings/{meeting}",
        "overdue (as of 2024-04-01)": "/console/overdue?as_of=2024-04-01",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("demo_json", type=Path, help="what `actiontrail demo --json` printed")
    parser.add_argument("--times", type=int, default=50)
    args = parser.parse_args()
    printed = json.loads(args.demo_json.read_text())
    # A PostgreSQL demo's schema comes from ACTIONTRAIL_DATABASE_SCHEMA, as for the demo.
    app = create_app(Settings(database_url=printed["database_url"]))
    with TestClient(app, base_url=BASE_URL) as client:
        cookie = {"Cookie": f"{COOKIE}={sign_in(client, printed['token'])}"}
        print(f"| page | median ms | slowest ms |  ({args.times} requests each)")
        print("|---|---:|---:|")
        for name, path in pages(printed).items():
            client.get(path, headers=cookie)
            took = []
            for _ in range(args.times):
                start = time.perf_counter()
                response = client.get(path, headers=cookie)
                took.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            print(f"| {name} | {statistics.median(took):.1f} | {max(took):.1f} |")


if __name__ == "__main__":
    main()
