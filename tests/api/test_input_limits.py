"""Hostile input is refused at the edge: 422 naming the field, 413 for a large body, never a 500,
and no value that could stop a read model is ever stored.

Cases that are refused whole share a store (``shared_api``): a refusal writes nothing, so no case
sees another's; the log they share stays empty, which ``/events`` checks. Cases that write get a
store of their own (``api``)."""

import json
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api

ONE_MIB = 1024 * 1024


def problem_fields(response: object) -> set[str]:
    body = response.json()  # type: ignore[attr-defined]
    return {error["field"] for error in body.get("errors", [])}


def test_a_nul_in_a_description_is_refused_and_the_reports_keep_answering(api: Api) -> None:
    response = api.post(
        "governance",
        "/actions",
        {
            "source": {"kind": "marac", "ref": "MARAC-1"},
            "agency": "health",
            "description": "a\x00b",
            "due_on": "2023-09-30",
        },
    )
    api.action()

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert problem_fields(response) == {"description"}
    assert api.get("reporting", "/reports/overdue-actions").status_code == 200
    assert api.get("reporting", "/audit-log").json()["events"][-1]["data"]["description"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/meetings",
            {
                "case_ref": "C-1",
                "concern_raised_at": "0001-01-01T01:00+05:00",
                "kind": "other",
                "team": "North",
            },
            "concern_raised_at",
        ),
        (
            "/recommendations",
            {
                "source": {"kind": "audit", "ref": "A", "title": "Audit"},
                "number": 10**30,
                "text": "Invite health",
                "raised_on": "2023-10-16",
            },
            "number",
        ),
        (
            "/meetings",
            {
                "case_ref": "C-1\x1b[2J",
                "concern_raised_at": "2023-06-13T09:30:00+01:00",
                "kind": "other",
                "team": "North",
            },
            "case_ref",
        ),
    ],
)
def test_out_of_range_and_control_values_are_422_naming_the_field(
    shared_api: Api, path: str, body: dict[str, object], field: str
) -> None:
    response = shared_api.post("governance", path, body)

    assert response.status_code == 422, response.text
    assert problem_fields(response) == {field}
    assert shared_api.get("reporting", "/events").json()["events"] == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/events", {"after": "99999999999999999999999"}, "after"),
        ("/events", {"after": "9223372036854775808"}, "after"),
        ("/audit-log", {"after": "99999999999999999999999"}, "after"),
        ("/audit-log", {"agency": "health\x00"}, "agency"),
        ("/audit-log", {"type": "\x00"}, "type"),
        ("/audit-log", {"user": "u\x00"}, "user"),
        ("/audit-log", {"from": "0001-01-01T00:00:00+00:00"}, "from"),
        ("/reports/record-quality", {"audit_ref": "A\x00"}, "audit_ref"),
        ("/reports/overdue-actions", {"agency": "\x00"}, "agency"),
        ("/reports/overdue-actions", {"as_of": "0001-03-01"}, "as_of"),
        ("/reports/meeting-timeliness", {"to": "0001-03-01"}, "to"),
        ("/reports/attendance-compliance", {"to": "0001-03-01"}, "to"),
        ("/reports/attendance-compliance", {"known_at": "9999-12-31T23:59:59-23:00"}, "known_at"),
    ],
)
def test_query_values_out_of_range_are_422_never_500(
    shared_api: Api, path: str, params: dict[str, str], field: str
) -> None:
    response = shared_api.get("governance", path, **params)

    assert response.status_code == 422, response.text
    assert problem_fields(response) == {field}


def test_a_past_state_is_asked_for_within_range(api: Api) -> None:
    meeting_id = api.meeting()

    by_version = api.get("governance", f"/meetings/{meeting_id}", version=2**31)
    by_time = api.get("governance", f"/meetings/{meeting_id}", at="0001-01-01T00:00:00+05:00")
    plus_as_space = api.get("governance", f"/meetings/{meeting_id}", at="2099-01-01T00:00:00 00:00")

    assert (by_version.status_code, problem_fields(by_version)) == (422, {"version"})
    assert (by_time.status_code, problem_fields(by_time)) == (422, {"at"})
    assert plus_as_space.status_code == 200


def big_measures(size: int) -> bytes:
    measure = {"name": "health invited", "numerator": 14, "denominator": 16}
    count = size // len(json.dumps(measure)) + 1
    body = {
        "kind": "dip-sample",
        "dated": "2024-01-08",
        "sample_size": 16,
        "measures": [measure] * count,
        "summary": "s",
    }
    return json.dumps(body).encode()


def test_a_body_over_1_mib_is_413_before_it_is_read(api: Api) -> None:
    recommendation_id = api.recommendation()
    head = api.get("reporting", "/events").json()["events"][-1]["position"]

    response = api.client.post(
        f"/recommendations/{recommendation_id}/assurance",
        content=big_measures(8 * ONE_MIB),
        headers={**api.headers["governance"], "Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Request body too large"
    assert len(response.content) < 1000
    assert api.get("reporting", "/events", after=head).json()["events"] == []


def test_a_chunked_body_is_counted_as_it_arrives(shared_api: Api) -> None:
    body = big_measures(2 * ONE_MIB)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    response = shared_api.client.post(
        "/meetings",
        content=chunks(),
        headers={**shared_api.headers["governance"], "Content-Type": "application/json"},
    )

    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413


def test_a_body_under_the_limit_is_read(api: Api) -> None:
    recommendation_id = api.recommendation()
    body = big_measures(ONE_MIB - 64 * 1024)

    response = api.client.post(
        f"/recommendations/{recommendation_id}/assurance",
        content=body,
        headers={**api.headers["governance"], "Content-Type": "application/json"},
    )

    assert len(body) < ONE_MIB
    assert response.status_code == 422
    assert problem_fields(response) == {"measures"}


def test_errors_never_echo_a_large_body(shared_api: Api) -> None:
    huge_text = "x" * 900_000
    many_fields = {f"field-{i}-" + "y" * 50: 1 for i in range(5_000)}
    not_json = b"{" + b"z" * 900_000
    not_utf8 = b'{"case_ref": "\xff\xfe' + b"\xff" * 1000 + b'"}'

    answers = [
        shared_api.post("governance", "/actions", {"description": huge_text}),
        shared_api.post("governance", "/meetings", many_fields),
        *(
            shared_api.client.post(
                "/meetings",
                content=content,
                headers={**shared_api.headers["governance"], "Content-Type": "application/json"},
            )
            for content in (not_json, not_utf8)
        ),
        shared_api.get("governance", "/meetings/" + "q" * 5_000),
    ]

    assert [answer.status_code for answer in answers] == [422, 422, 422, 422, 404]
    for answer in answers:
        assert answer.headers["content-type"] == "application/problem+json"
        assert len(answer.content) < 4_000, answer.text[:200]


def test_a_user_name_holds_no_control_character(shared_api: Api) -> None:
    response = shared_api.post("governance", "/users", {"name": "Eve\x00", "role": "reporting"})

    assert response.status_code == 422
    assert problem_fields(response) == {"name"}


def test_text_that_needs_format_characters_is_stored_as_written(api: Api) -> None:
    """Kept through the log, the read models and the users table, on both stores."""
    description = "Referred by the 👩\u200d⚕️ on duty: re\u00adview the plan"
    name = "فاطمه\u200cزهرا رضایی"  # noqa: RUF001 (a Persian name, with a ZWNJ)
    action = api.ok(
        "governance",
        "/actions",
        {
            "source": {"kind": "marac", "ref": "MARAC-\u200e7"},
            "agency": "health",
            "description": description,
            "due_on": "2023-09-30",
            "agreed_on": "2023-09-01",
        },
        201,
    )
    user = api.ok("governance", "/users", {"name": name, "role": "reporting"}, 201)

    assert api.get("governance", f"/actions/{action['id']}").json()["description"] == description
    (listed,) = api.get("governance", "/actions", source_ref="MARAC-\u200e7").json()["items"]
    assert listed["description"] == description
    users = {u["user"]: u["name"] for u in api.get("governance", "/users").json()}
    assert users[user["user"]] == name


@pytest.mark.parametrize("char", ["\u202a", "\u202e", "\u2066", "\u2069", "\x85", "\x00"])
def test_bidirectional_overrides_isolates_and_controls_are_refused(
    shared_api: Api, char: str
) -> None:
    response = shared_api.post(
        "governance", "/users", {"name": f"Eve{char}Smith", "role": "reporting"}
    )

    assert response.status_code == 422
    assert f"U+{ord(char):04X}" in response.text
