"""The current state follows effective order, and every record reads as of a day, as known at a
time: over HTTP, on both stores (the issue's three wrong answers, and the 404s that say why)."""

from datetime import UTC, datetime
from typing import Any

from freezegun import freeze_time

from tests.api.conftest import Api

STATUS_APRIL = {
    "status": "implemented",
    "rag": "green",
    "reason": "Dip sample found health invited to all",
    "effective_on": "2024-04-30",
}
STATUS_DECEMBER = {
    "status": "in-progress",
    "rag": "amber",
    "reason": "Invitations process in place",
    "effective_on": "2023-12-15",
}


def state(api: Api, path: str, **params: Any) -> dict[str, Any]:
    response = api.get("governance", path, **params)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_back_dated_status_change_is_history_not_the_current_status(api: Api) -> None:
    rec = api.recommendation()
    base = f"/recommendations/{rec}"
    april = api.ok("governance", f"{base}/status", STATUS_APRIL)
    december = api.post(
        "governance", f"{base}/status", STATUS_DECEMBER, **{"Idempotency-Key": "d-1"}
    )

    assert december.status_code == 200
    assert "note" not in april
    assert december.json()["note"] == (
        "recorded; the current status stays implemented/green, effective 2024-04-30"
    )
    again = api.post("governance", f"{base}/status", STATUS_DECEMBER, **{"Idempotency-Key": "d-1"})
    assert again.json() == december.json(), "a retry answers the first answer, note and all"

    now = state(api, base)
    assert (now["status"], now["rag"], now["version"]) == ("implemented", "green", 3)
    history = state(api, f"/reports/response-history/{rec}")["status_changes"]
    assert [(s["status"], s["effective_on"]) for s in history] == [
        ("in-progress", "2023-12-15"),
        ("implemented", "2024-04-30"),
    ]
    then = state(api, base, as_of="2024-01-31")
    assert (then["status"], then["rag"]) == ("in-progress", "amber")
    (listed,) = state(api, "/recommendations", rag="green")["items"]
    assert listed == now
    assert state(api, "/recommendations", rag="amber")["items"] == []
    assert state(api, "/recommendations", status="in-progress")["items"] == []


def test_a_back_dated_revision_and_reassignment_slot_in_and_say_so(api: Api) -> None:
    action = api.action("health")  # agreed 2023-09-01, due 2023-09-30
    base = f"/actions/{action}"
    api.ok(
        "governance",
        f"{base}/due-date",
        {"due_on": "2023-11-30", "reason": "Capacity", "effective_on": "2023-09-20"},
    )
    earlier = api.ok(
        "governance",
        f"{base}/due-date",
        {"due_on": "2023-10-31", "reason": "First extension", "effective_on": "2023-09-10"},
    )
    assert earlier["note"] == (
        "recorded; the current due date stays 2023-11-30, effective 2023-09-20"
    )
    same_then = api.post(
        "governance",
        f"{base}/due-date",
        {"due_on": "2023-10-31", "reason": "Again", "effective_on": "2023-09-15"},
    )
    assert same_then.status_code == 422
    assert same_then.json()["detail"] == "on 2023-09-15 the action was already due on 2023-10-31"
    api.ok(
        "governance",
        f"{base}/reassign",
        {"agency": "police", "reason": "Police lead", "effective_on": "2023-09-25"},
    )
    back = api.ok(
        "governance",
        f"{base}/reassign",
        {"agency": "education", "reason": "School lead", "effective_on": "2023-09-05"},
    )
    assert back["note"] == "recorded; the current agency stays police, effective 2023-09-25"

    now = state(api, base)
    assert (now["due_on"], now["agency"]) == ("2023-11-30", "police")
    assert [r["due_on"] for r in now["due_date_revisions"]] == ["2023-10-31", "2023-11-30"]
    on_the_twelfth = state(api, base, as_of="2023-09-12")
    assert (on_the_twelfth["due_on"], on_the_twelfth["agency"]) == ("2023-10-31", "education")
    (listed,) = state(api, "/actions", agency="police")["items"]
    assert listed == now
    assert state(api, "/actions", agency="education")["items"] == []


def test_as_recorded_at_a_time_before_loading_says_when_it_was_first_recorded(api: Api) -> None:
    with freeze_time("2024-06-03 09:00:00"):
        rec = api.recommendation()  # raised on 2023-10-16, loaded on 3 June 2024
    base = f"/recommendations/{rec}"

    missing = api.get("governance", base, at="2023-12-15T23:59:59Z")
    assert missing.status_code == 404
    assert missing.json()["detail"] == (
        f"recommendation {rec} was first recorded at 2024-06-03T09:00:00+00:00, after "
        "2023-12-15T23:59:59+00:00; for how it stood on 15 December 2023 as the records stand "
        "now, ask as of that day"
    )
    then = state(api, base, as_of="2023-12-15")
    assert (then["status"], then["responses"], then["version"]) == ("open", [], 1)
    before = api.get("governance", base, as_of="2023-10-15")
    assert before.status_code == 404
    assert before.json()["detail"] == (
        "recommendation 1 of SM-AUDIT-2023 was raised on 2023-10-16, after 15 October 2023"
    )
    both = api.get("governance", base, as_of="2023-12-15", known_at="2024-06-02T00:00:00Z")
    assert both.status_code == 404
    assert "first recorded at 2024-06-03T09:00:00+00:00" in both.json()["detail"]
    assert "ask as of" not in both.json()["detail"]
    assert state(api, base, as_of="2023-12-15", known_at="2024-06-03T09:00:00Z") == then
    refused = api.get("governance", base, version=1, known_at="2024-06-03T09:00:00Z")
    assert refused.status_code == 422
    assert "give one of version, at and known_at" in refused.json()["detail"]


def test_every_kind_of_record_reads_as_of_a_day_and_as_known_at_a_time(api: Api) -> None:
    with freeze_time("2023-10-02 09:00:00"):
        meeting = api.meeting(held=False)  # concern raised 2023-06-13
        api.ok(
            "governance",
            f"/meetings/{meeting}/held",
            {"held_at": "2023-06-14T10:00:00+01:00", "format": "virtual"},
        )
    with freeze_time("2023-10-05 09:00:00"):
        for shared_at in ("2023-06-20T10:00:00+01:00", "2023-06-16T10:00:00+01:00"):
            api.ok(
                "governance",
                f"/meetings/{meeting}/record-shared",
                {"shared_at": shared_at, "agencies": ["police"]},
            )
        action = api.action("health")
    base = f"/meetings/{meeting}"

    now = state(api, base)
    assert now["record_shared_at"] == "2023-06-16T09:00:00Z", "the earliest share"
    on_the_fifteenth = state(api, base, as_of="2023-06-15")
    assert (on_the_fifteenth["status"], on_the_fifteenth["record_shared_at"]) == ("held", None)
    invited = [i["agency"] for i in on_the_fifteenth["invited"]]
    assert invited == ["police", "health"], "invited as the meeting was requested, 13 June"
    known_then = state(api, base, known_at="2023-10-03T00:00:00Z")
    assert [i["agency"] for i in known_then["invited"]] == ["police", "health"]
    assert known_then["record_shared_at"] is None
    early = api.get("governance", base, as_of="2023-06-12")
    assert early.status_code == 404
    assert early.json()["detail"] == (
        "the concern of case CASE-1 was raised on 2023-06-13, after 12 June 2023"
    )
    not_agreed = api.get("governance", f"/actions/{action}", as_of="2023-08-31")
    assert not_agreed.status_code == 404
    assert (
        not_agreed.json()["detail"] == "the action was agreed on 2023-09-01, after 31 August 2023"
    )
    assert state(api, f"/actions/{action}", as_of="2023-09-01")["status"] == "open"
    moment = datetime(2023, 10, 5, 9, tzinfo=UTC).isoformat()
    assert state(api, f"/actions/{action}", known_at=moment)["version"] == 1
