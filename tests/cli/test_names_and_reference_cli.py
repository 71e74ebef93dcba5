"""Names and reference data from the command line: ``users list`` for governance and
inspectors, ``users rename`` read back everywhere, and ``reference``."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import RECOMMENDATION, Run, import_document


def test_governance_and_inspectors_list_users_never_a_token(
    run: Run, add_user: Callable[..., dict[str, Any]], governance: str
) -> None:
    inspector = add_user("Ian", "inspector")
    reporting = add_user("Rae", "reporting")
    police = add_user("Pat", "agency", "police")

    listed = run("users", "list", "--json", token=inspector["token"])

    assert listed.code == 0, listed.err
    users = listed.json()
    assert [u["name"] for u in users] == ["Gill", "Ian", "Rae", "Pat"]
    assert {"user", "name", "role", "agency", "active"} <= set(users[3])
    assert (users[3]["role"], users[3]["agency"], users[3]["active"]) == ("agency", "police", True)
    assert not any({"token", "token_hash"} & set(user) for user in users)
    assert not any(str(v).startswith("at_") for user in users for v in user.values())
    for token in (reporting["token"], police["token"]):
        refused = run("users", "list", token=token)
        assert refused.code == 4
        assert "may not list users; allowed: governance, inspector" in refused.err


@pytest.fixture
def recommendation(run: Run, governance: str, write_json: Callable[..., Path]) -> str:
    """The conftest's recommendation imported by Gill (governance); answers its id."""
    path = write_json(import_document(recommendations=[RECOMMENDATION]))
    assert run("import", str(path), "--json", token=governance).code == 0
    log = run("audit-log", "--aggregate-type", "Recommendation", "--json", token=governance)
    return str(log.json()["events"][0]["aggregate_id"])


def test_a_renamed_user_reads_by_the_new_name_everywhere(
    run: Run, governance: str, recommendation: str
) -> None:
    (gill,) = run("users", "list", "--json", token=governance).json()

    renamed = run(
        "users", "rename", gill["user"], "--name", "Gill Smith", "--json", token=governance
    )

    assert renamed.code == 0, renamed.err
    assert renamed.json()["name"] == "Gill Smith"
    history = run("history", recommendation, "--json", token=governance).json()
    log = run("audit-log", "--aggregate-id", recommendation, "--json", token=governance).json()
    for events in (history["events"], log["events"]):
        assert {(e["actor"]["user"], e["actor"]["name"]) for e in events} == {
            (gill["user"], "Gill Smith")
        }
    responses = run("report", "responses", recommendation, "--json", token=governance).json()
    assert responses["responses"][0]["by_name"] == "Gill Smith"
    assert responses["status_changes"][0]["by_name"] == "Gill Smith"
    for table in (
        run("history", recommendation, token=governance).out,
        run("audit-log", token=governance).out,
        run("report", "responses", recommendation, token=governance).out,
    ):
        assert f"Gill Smith ({gill['user']})" in table


def test_renaming_is_for_governance_and_a_known_user(
    run: Run, add_user: Callable[..., dict[str, Any]], governance: str
) -> None:
    inspector = add_user("Ian", "inspector")

    refused = run("users", "rename", inspector["user"], "--name", "Ivan", token=inspector["token"])
    unknown = run("users", "rename", "u-nobody", "--name", "Ivan", token=governance)

    assert (refused.code, unknown.code) == (4, 5)


def test_every_signed_in_user_reads_the_reference_data_as_configured(
    run: Run,
    add_user: Callable[..., dict[str, Any]],
    governance: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    police = add_user("Pat", "agency", "police")
    monkeypatch.setenv("ACTIONTRAIL_EXTRA_AGENCIES", '["fire-service"]')
    monkeypatch.setenv("ACTIONTRAIL_STATUTORY_PARTNERS", '["police", "health", "education"]')
    monkeypatch.setenv("ACTIONTRAIL_MEETING_WITHIN_WORKING_DAYS", "2")

    as_json = run("reference", "--json", token=police["token"])
    table = run("reference", token=police["token"])

    assert as_json.code == 0, as_json.err
    reference = as_json.json()
    assert reference["agencies"][-2:] == ["early-help", "fire-service"]
    assert reference["statutory_partners"] == ["police", "health", "education"]
    assert reference["health_roles"][0] == "mash-nurse"
    assert reference["decisions"][-1] == "no-further-action"
    assert reference["timescales"] == {
        "meeting_within_working_days": 2,
        "record_shared_within_working_days": 3,
    }
    assert table.code == 0
    assert "fire-service" in table.out
    assert "meeting held within 2 of the concern" in table.out
    assert run("reference").code == 4
