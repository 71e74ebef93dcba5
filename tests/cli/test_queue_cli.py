"""``actiontrail queue``: the proposals waiting for governance, as a table, JSON and CSV."""

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from application import commands as c
from domain.codes import Role
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from tests.cli.conftest import ACTION, Run, import_document


def test_the_queue_lists_a_proposal_until_it_is_decided(
    run: Run,
    governance: str,
    add_user: Callable[..., dict[str, Any]],
    settings: Settings,
    write_json: Callable[..., Any],
) -> None:
    assert (
        run("import", str(write_json(import_document(actions=[ACTION]))), token=governance).code
        == 0
    )
    (action,) = run("list", "actions", "--json", token=governance).json()["items"]
    lead = add_user("Hana Health", "agency", "health")
    app = build_application(settings)
    try:
        app.execute(
            c.ProposeDueDate(
                action_id=UUID(action["id"]),
                due_on=date(2023, 10, 31),
                reason="Leave",
                effective_on=date(2023, 9, 20),
            ),
            Actor(lead["user"], Role.AGENCY, "health"),
        )
    finally:
        app.close()

    table = run("queue", token=governance)
    assert table.code == 0, table.err
    assert "Waiting for governance" in table.out
    assert "Hana Health" in table.out
    assert "2023-10-31" in table.out
    (item,) = run("queue", "--json", token=governance).json()["items"]
    assert (item["kind"], item["action_id"], item["agency"]) == (
        "due-date-proposal",
        action["id"],
        "health",
    )
    assert (item["proposed_due_on"], item["effective_on"]) == ("2023-10-31", "2023-09-20")
    assert (item["submitted_by"], item["submitted_by_name"]) == (lead["user"], "Hana Health")
    csv = run("queue", "--csv", token=governance).out.splitlines()
    assert csv[0].split(",")[:3] == ["kind", "action_id", "agency"]
    assert csv[1].startswith(f"due-date-proposal,{action['id']},health,")

    refused = run("queue", token=lead["token"])
    assert refused.code == 4
    assert "may not read the work queue" in refused.err


def test_history_names_who_approved_a_revision(
    run: Run, governance: str, write_json: Callable[..., Any]
) -> None:
    revised = {**ACTION, "due_date_revisions": [{"due_on": "2023-10-31", "reason": "Leave"}]}
    assert (
        run("import", str(write_json(import_document(actions=[revised]))), token=governance).code
        == 0
    )
    (action,) = run("list", "actions", "--json", token=governance).json()["items"]
    user = action["due_date_revisions"][0]["by"]

    shown = run("history", action["id"], token=governance)
    assert shown.code == 0, shown.err
    flat = " ".join(shown.out.replace("│", " ").split())
    assert f"approved_by: Gill ({user})" in flat, shown.out
