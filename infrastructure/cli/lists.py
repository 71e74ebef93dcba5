"""``actiontrail list meetings|recommendations|actions``: current states, filtered, oldest first.

The filters are those of ``GET /meetings`` etc.; an unknown code or a reversed period exits 2
naming the valid values. A table by default (with the ``--after`` of the next page), the page as
JSON with ``--json``, CSV (the list's registry entry) with ``--csv``.
"""

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from application.inputs import require_ordered
from domain.reference import agency_name
from infrastructure.cli.output import print_table
from infrastructure.cli.reports import add_query_command
from infrastructure.presentation.lists import (
    ACTION_LIST,
    MEETING_LIST,
    RECOMMENDATION_LIST,
    Page,
)
from infrastructure.presentation.reports import Report
from infrastructure.presentation.states import ActionState, MeetingState, RecommendationState


@dataclass(frozen=True)
class ListTable:
    """How the command line prints one list as a table."""

    listing: Report[Any]
    columns: Sequence[str]
    row: Callable[[Any], Sequence[Any]]

    def print(self, page: Page[Any]) -> None:
        more = "last page" if page.next_after is None else f"next page: --after {page.next_after}"
        title = f"{self.listing.summary.capitalize()} ({len(page.items)}; {more})"
        print_table(title, self.columns, (self.row(item) for item in page.items))


def _held_in_order(args: argparse.Namespace) -> None:
    require_ordered(args.held_from, args.held_to, ("--held-from", "--held-to"))


def _meeting_row(m: MeetingState) -> Sequence[Any]:
    held = f"{m.held_at:%Y-%m-%d %H:%M}" if m.held_at else None
    return (m.id, m.status, m.case_ref, m.team, m.kind, held)


def _recommendation_row(r: RecommendationState) -> Sequence[Any]:
    return (r.id, r.source.ref, r.number, r.status, r.rag, r.text)


def _action_row(a: ActionState) -> Sequence[Any]:
    return (
        a.id,
        agency_name(a.agency),
        a.status,
        a.due_on,
        a.source.label or a.source.ref,
        a.description,
    )


TABLES = (
    ListTable(
        MEETING_LIST,
        ("id", "status", "case ref", "team", "kind", "held at"),
        _meeting_row,
    ),
    ListTable(
        RECOMMENDATION_LIST,
        ("id", "source", "number", "status", "rag", "text"),
        _recommendation_row,
    ),
    ListTable(
        ACTION_LIST,
        ("id", "agency", "status", "due on", "source", "description"),
        _action_row,
    ),
)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "list", description="Meetings, recommendations or actions, filtered, oldest first."
    )
    lists = parser.add_subparsers(dest="listing", required=True, metavar="LIST")
    for table in TABLES:
        add_query_command(
            lists,
            table.listing,
            table.print,
            csv_help="print CSV, the states' fields",
            public=Page.public,
            before=_held_in_order if table.listing is MEETING_LIST else lambda args: None,
        )
