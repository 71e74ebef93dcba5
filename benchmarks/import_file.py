"""A large import file of strategy meetings, for timing imports and for killing one midway.

Each meeting makes 14 events: requested, three invitations, held, three attendances, a
decision, an action agreed (the action assigned and the meeting's link), the action's progress,
the record shared and a quality assessment.

Usage: ``.venv/bin/python -m benchmarks.import_file 1500 big.json`` (1,500 meetings: 21,000
events); then ``time actiontrail import big.json --token ...``.
"""

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

EVENTS_PER_MEETING = 14
START = datetime(2022, 1, 3, 9, tzinfo=UTC)


def meeting(number: int) -> dict[str, Any]:
    raised = START + timedelta(hours=number)
    held = raised + timedelta(days=1)
    return {
        "ref": f"GEN-{number:07d}",
        "case_ref": f"CASE-GEN-{number:07d}",
        "concern_raised_at": raised.isoformat(),
        "kind": "child-protection",
        "team": f"Team {number % 7}",
        "invitations": [
            {"agency": "childrens-social-care"},
            {"agency": "police"},
            {"agency": "health", "role": "mash-nurse"},
        ],
        "held": {"held_at": held.isoformat(), "format": "virtual"},
        "attendance": [
            {"agency": "childrens-social-care", "attended": True},
            {"agency": "police", "attended": True},
            {"agency": "health", "role": "mash-nurse", "attended": number % 5 != 0},
        ],
        "decisions": [{"decision": "section-47", "rationale": "Risk of significant harm"}],
        "actions": [
            {
                "agency": "health",
                "description": f"Share the health chronology for case {number}",
                "due_on": (held + timedelta(days=10)).date().isoformat(),
                "agreed_on": held.date().isoformat(),
                "progress": [{"note": "Requested from the GP"}],
            }
        ],
        "record_shared": {
            "shared_at": (held + timedelta(days=2)).isoformat(),
            "agencies": ["childrens-social-care", "police", "health"],
        },
        "quality_assessments": [{"rating": "clear", "audit_ref": "GEN-AUDIT"}],
    }


def document(meetings: int) -> dict[str, Any]:
    return {
        "format": "actiontrail-import/1",
        "title": f"{meetings} generated meetings",
        "meetings": [meeting(n) for n in range(1, meetings + 1)],
    }


def write(path: Path, meetings: int) -> Path:
    path.write_text(json.dumps(document(meetings)), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("meetings", type=int)
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    write(args.path, args.meetings)
    print(f"{args.path}: {args.meetings} meetings, {args.meetings * EVENTS_PER_MEETING} events")


if __name__ == "__main__":
    main()
