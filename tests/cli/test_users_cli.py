"""``actiontrail users``: the first governance user, tokens, roles and revocation."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.cli.conftest import Run


def test_the_first_governance_user_needs_no_token(run: Run) -> None:
    result = run("users", "add", "--name", "Gill", "--role", "governance", "--json")

    assert result.code == 0
    user = result.json()
    assert set(user) == {"user", "name", "role", "agency", "token", "token_expires_at"}
    assert (user["name"], user["role"], user["agency"]) == ("Gill", "governance", None)
    assert run("users", "list", token=user["token"]).code == 0


def test_the_first_user_must_be_governance(run: Run) -> None:
    refused = run("users", "add", "--name", "Ian", "--role", "inspector")
    first = run("users", "add", "--name", "Gill", "--role", "governance", "--json")

    assert refused.code == 4
    assert "governance" in refused.err
    listed = run("users", "list", "--json", token=first.json()["token"]).json()
    assert [u["name"] for u in listed] == ["Gill"]


def test_later_users_need_a_governance_token(
    run: Run, add_user: Callable[..., dict[str, Any]], governance: str
) -> None:
    inspector = add_user("Ian", "inspector")
    argv = ("users", "add", "--name", "Pat", "--role", "agency", "--agency", "police", "--json")

    without = run(*argv)
    as_inspector = run(*argv, token=inspector["token"])
    as_governance = run(*argv, token=governance)

    assert (without.code, as_inspector.code, as_governance.code) == (4, 4, 0)
    assert "token" in without.err
    assert as_governance.json()["agency"] == "police"


def test_an_agency_user_needs_an_agency(run: Run, governance: str) -> None:
    missing = run("users", "add", "--name", "Pat", "--role", "agency", token=governance)
    unknown = run(
        "users", "add", "--name", "Pat", "--role", "agency", "--agency", "fire", token=governance
    )

    assert missing.code == 2  # a bad argument
    assert "needs an agency: add --agency CODE" in missing.err
    assert unknown.code == 2
    assert "unknown agency 'fire'; known agencies: childrens-social-care, police" in unknown.err


def test_list_and_revoke(
    run: Run, add_user: Callable[..., dict[str, Any]], governance: str
) -> None:
    inspector = add_user("Ian", "inspector")

    table = run("users", "list", token=governance)
    revoked = run("users", "revoke", inspector["user"], "--json", token=governance)
    after = run("users", "list", "--json", token=governance).json()

    assert table.code == 0
    assert "Ian" in table.out
    assert "inspector" in table.out
    assert revoked.code == 0
    assert revoked.json()["revoked_at"]
    assert [u["revoked_at"] is not None for u in after] == [False, True]
    assert run("report", "quality", "--audit-ref", "A", token=inspector["token"]).code == 4
    assert run("users", "revoke", "u-nobody", token=governance).code == 5


def test_an_unknown_token_is_refused(run: Run, governance: str) -> None:
    result = run("users", "list", token="not-a-token")

    assert result.code == 4
    assert "unknown or has been revoked" in result.err


@pytest.mark.parametrize("store", ["sqlite"])
def test_a_bad_database_url_is_a_usage_error(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", "mysql://nowhere/db")

    result = run("users", "list")

    assert result.code == 2
    assert "ACTIONTRAIL_DATABASE_URL" in result.err


def test_a_name_with_an_escape_sequence_is_a_bad_argument(run: Run) -> None:
    result = run("users", "add", "--name", "Gill\x1b[2J", "--role", "governance", "--json")

    assert result.code == 2
    assert "--name" in result.err
    assert "control character" in result.err


def test_a_new_token_by_governance_or_by_break_glass_which_is_recorded(
    run: Run, governance: str
) -> None:
    added = run("users", "add", "--name", "Ian", "--role", "inspector", "--json", token=governance)
    ian = added.json()
    assert ian["token_expires_at"] > ian["token_expires_at"][:4]  # an ISO timestamp
    assert run("users", "token", ian["user"], "--json", token=ian["token"]).code == 4

    renewed = run("users", "token", ian["user"], "--json", token=governance)
    assert renewed.code == 0, renewed.err
    assert run("users", "list", token=ian["token"]).code == 4, "the old token stopped"
    assert run("users", "list", token=renewed.json()["token"]).code == 0

    gill = run("users", "list", "--json", token=governance).json()[0]["user"]
    glass = run("users", "token", gill, "--break-glass", "--json")
    assert glass.code == 0, glass.err
    assert "Break-glass" in glass.err
    assert run("users", "list", token=governance).code == 4
    records = run(
        "users", "sign-ins", "--event", "token-issued", "--json", token=glass.json()["token"]
    )
    assert records.code == 0, records.err
    issued = [(r["user"], r["method"], r["detail"].split(";")[0]) for r in records.json()]
    assert issued[0] == (ian["user"], "token", f"issued by {gill}")
    assert issued[1][:2] == (gill, "break-glass")
    assert "@" in issued[1][2], "by the operating system's user at this host"


def test_an_identity_is_checked_and_set(run: Run, governance: str) -> None:
    bad = run(
        "users", "add", "--name", "Pat", "--role", "reporting", "--email", "pat", token=governance
    )
    assert bad.code == 2
    assert "not an e-mail address" in bad.err
    added = run(
        "users",
        *("add", "--name", "Pat", "--role", "reporting", "--email", "Pat@Example.org", "--json"),
        token=governance,
    )
    assert added.json()["email"] == "pat@example.org"
    subject = run(
        "users",
        *("identity", added.json()["user"], "--oidc-issuer", "https://login.example.org"),
        *("--oidc-subject", "248289761001", "--json"),
        token=governance,
    )
    assert subject.code == 0, subject.err
    assert subject.json() == {
        "user": added.json()["user"],
        "email": None,
        "oidc_issuer": "https://login.example.org",
        "oidc_subject": "248289761001",
    }


def test_a_name_another_user_has_is_refused_on_add_and_rename(
    run: Run, add_user: Callable[..., dict[str, Any]], governance: str
) -> None:
    pat = add_user("Pat Police", "agency", "police")

    again = run("users", "add", "--name", "pat police ", "--role", "inspector", token=governance)
    other = add_user("Pat Police (MASH)", "inspector")
    renamed = run("users", "rename", other["user"], "--name", "PAT  Police", token=governance)

    assert (again.code, renamed.code) == (6, 6)
    assert again.err == (
        f"error: another user ({pat['user']}) is already named 'Pat Police'; the audit trail "
        "names people, so give this one a name of their own (e.g. with their team or agency)\n"
    )
    assert renamed.err == again.err
    listed = run("users", "list", "--json", token=governance).json()
    assert sorted(u["name"] for u in listed) == ["Gill", "Pat Police", "Pat Police (MASH)"]
