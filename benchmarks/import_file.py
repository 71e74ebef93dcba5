"""A large import file of strategy meetings, for timing imports and for killing one midway.

Each meeting makes 14 events: requested, three invitations, held, three attendances, a
decision, an action agreed (the action assigned and the meeting's link), the action's progress,
the record shared and a quality assessment.

Usage: ``.venv/bin/python -m benchmarks.import_file 1500 big.json`` (1,500 meetings: 21,000
events); then ``time actiontrail import big.json --token ...``.
"""

import argparse
from pathlib import Path

from tests.builders import EVENTS_PER_MEETING, write_import_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("meetings", type=int)
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    write_import_file(args.path, args.meetings)
    print(f"{args.path}: {args.meetings} meetings, {args.meetings * EVENTS_PER_MEETING} events")


if __name__ == "__main__":
    main()
