"""Errors that say what was wrong and what is expected: dates, timestamps and JSON.

Cases that only ask or are refused share a store (``shared_api``): they write nothing another
case could see, and the log stays empty (``/health``'s head is 0). Cases that write first get a
store of their own (``api``)."""

import pytest

from tests.api.conftest import Api

TIMESTAMP_FORM = "expected an ISO 8601 timestamp with offset, e.g. 2026-11-25T09:00:00Z"
DATE_FORM = "expected an ISO 8601 date, YYYY-MM-DD, e.g. 2026-11-25"


def field_messages(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    return {error["field"]: error["message"] for error in body["errors"]}


def test_a_timestamp_not_in_iso_form_names_the_form_expected(shared_api: Api) -> None:
    body = {
        "case_ref": "CASE-1",
        "concern_raised_at": "25/11/2026 09:00",
        "kind": "missing",
        "team": "North",
    }

    response = shared_api.post("governance", "/meetings", body)

    assert response.status_code == 422
    message = field_messages(response)["concern_raised_at"]
    assert message == f"{TIMESTAMP_FORM} (invalid character in year)"
    assert response.json()["detail"] == f"concern_raised_at: {message}"
    assert shared_api.client.get("/health").json()["head"] == 0


def test_a_timestamp_without_offset_says_so(api: Api) -> None:
    meeting_id = api.meeting(held=False)

    response = api.post(
        "governance",
        f"/meetings/{meeting_id}/held",
        {"held_at": "2023-06-14T10:00:00", "format": "virtual"},
    )

    assert response.status_code == 422
    assert field_messages(response) == {"held_at": f"{TIMESTAMP_FORM} (it has no UTC offset)"}


@pytest.mark.parametrize(
    ("due_on", "reason"),
    [
        ("25/11/2026", "invalid character in year"),
        ("2026-11-25T09:00:00Z", "it has a time of day"),
        (None, "it is not text"),
    ],
)
def test_a_date_not_in_iso_form_names_the_form_expected(
    api: Api, due_on: str | None, reason: str
) -> None:
    action_id = api.action()

    response = api.post(
        "governance", f"/actions/{action_id}/due-date", {"due_on": due_on, "reason": "Leave"}
    )

    assert response.status_code == 422
    assert field_messages(response) == {"due_on": f"{DATE_FORM} ({reason})"}


def test_query_parameters_name_the_form_expected(shared_api: Api) -> None:
    audit = shared_api.get("governance", "/audit-log", **{"from": "25/11/2026 09:00"})
    overdue = shared_api.get("governance", "/reports/overdue-actions", as_of="25/11/2026")

    assert (audit.status_code, overdue.status_code) == (422, 422)
    assert field_messages(audit) == {"from": f"{TIMESTAMP_FORM} (invalid character in year)"}
    assert field_messages(overdue) == {"as_of": f"{DATE_FORM} (invalid character in year)"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"case_ref": "CASE-1",\n "kind": missing}',
            "is not valid JSON: expecting value at line 2, column 10",
        ),
        (
            b"{not json",
            "is not valid JSON: expecting property name enclosed in double quotes "
            "at line 1, column 2",
        ),
        (b'{"case_ref": "C"', "is not valid JSON: expecting ',' delimiter at line 1, column 17"),
    ],
    ids=["bad-value", "bad-name", "cut-short"],
)
def test_invalid_json_says_where_and_what(shared_api: Api, content: bytes, message: str) -> None:
    response = shared_api.client.post(
        "/meetings",
        content=content,
        headers={**shared_api.headers["governance"], "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body", "message": message}]
    assert response.json()["detail"] == f"body: {message}"


def test_an_audit_log_period_that_ends_before_it_starts_is_422(shared_api: Api) -> None:
    period = {"from": "2024-01-02T00:00:00Z", "to": "2024-01-01T00:00:00Z"}

    response = shared_api.get("governance", "/audit-log", **period)

    assert response.status_code == 422
    assert response.json()["title"] == "Period start after its end"
    assert response.json()["detail"] == (
        "from (2024-01-02T00:00:00+00:00) is after to (2024-01-01T00:00:00+00:00); "
        "a period starts on or before it ends"
    )
    same_moment = {"from": period["to"], "to": period["to"]}
    assert shared_api.get("governance", "/audit-log", **same_moment).status_code == 200
