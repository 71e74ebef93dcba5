"""Work run as a child process of its own, so that its wall time and peak memory are its own.

- ``rebuild``: every projection rebuilt (as ``actiontrail projections rebuild`` does) on the
  database of ``ACTIONTRAIL_DATABASE_URL``; prints JSON: events, seconds, peak memory (MiB, the
  process and its workers).
- ``save FILE``: the raw library saving the pickled domain events of FILE in batches
  (``Application.save``); prints JSON: events, seconds.
"""

import json
import pickle
import resource
import sys
import time
from pathlib import Path

from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.rebuild import rebuild

#: Events per ``Application.save`` of the raw baseline.
SAVE_BATCH = 1000


def peak_mib() -> float:
    """The largest resident set of this process or any of its finished children (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_rebuild() -> dict[str, float]:
    settings = Settings()
    app = build_application(settings)
    try:
        started = time.perf_counter()
        events = rebuild(settings, app)
        return {"events": events, "seconds": time.perf_counter() - started, "peak_mib": peak_mib()}
    finally:
        app.close()


def run_save(path: Path) -> dict[str, float]:
    events = pickle.loads(path.read_bytes())
    app = build_application(Settings())
    try:
        started = time.perf_counter()
        for start in range(0, len(events), SAVE_BATCH):
            app.save(*events[start : start + SAVE_BATCH])
        return {"events": len(events), "seconds": time.perf_counter() - started}
    finally:
        app.close()


def main() -> None:
    match sys.argv[1:]:
        case ["rebuild"]:
            result = run_rebuild()
        case ["save", path]:
            result = run_save(Path(path))
        case _:
            raise SystemExit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
