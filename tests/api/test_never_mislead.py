"""Answers that never mislead: a filter naming an unknown code or a period ending before it
starts is 422 naming what is valid, never an empty 200; percentages and CSV booleans read one way.

Cases that are refused share a store (``shared_api``): a refusal writes nothing another case could
see. Cases that write (a meeting, so that an empty 200 would show) get a store of their own.
"""

import csv
import io
from typing import Any

import pytest

from tests.api.conftest import Api

AGENCIES = "valid values: childrens-social-care, police, health,"
PERIOD_TITLE = "Period start after its end"


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        ("/reports/overdue-actions", {"agency": "Police"}, f"unknown agency 'Police'; {AGENCIES}"),
        ("/audit-log", {"agency": "Police"}, f"unknown agency 'Police'; {AGENCIES}"),
        (
            "/audit-log",
            {"type": "Held"},
            "unknown event type 'Held'; valid values: StrategyMeeting.ActionAgreed,",
        ),
        (
            "/audit-log",
            {"aggregate_type": "Meeting"},
            "unknown aggregate type 'Meeting'; valid values: StrategyMeeting, Recommendation, "
            "AgencyAction, ProjectionSkip",
        ),
    ],
)
def test_a_filter_naming_an_unknown_code_is_422_naming_the_valid_ones(
    api: Api, path: str, params: dict[str, str], detail: str
) -> None:
    api.meeting()

    response = api.get("governance", path, **params)

    assert response.status_code == 422, response.text
    assert response.json()["title"] == "Unknown code in a filter"
    assert response.json()["detail"].startswith(detail)


def test_every_event_type_is_named_among_the_valid_ones(shared_api: Api) -> None:
    detail = shared_api.get("governance", "/audit-log", type="Held").json()["detail"]

    for name in ("StrategyMeeting.Held", "Recommendation.Raised", "AgencyAction.Completed"):
        assert name in detail


def test_an_agency_user_naming_an_unknown_agency_is_refused_too(shared_api: Api) -> None:
    response = shared_api.get("health", "/reports/overdue-actions", agency="Health")

    assert response.status_code == 422
    assert "unknown agency 'Health'" in response.json()["detail"]


def test_an_unknown_grouping_of_attendance_is_422_naming_the_valid_ones(shared_api: Api) -> None:
    response = shared_api.get("governance", "/reports/attendance-compliance", group_by="agency")

    assert response.status_code == 422
    assert "'month' or 'team'" in response.json()["detail"]


def test_known_codes_still_filter(api: Api) -> None:
    api.meeting()

    held = api.get("governance", "/audit-log", type="StrategyMeeting.Held").json()["events"]
    police = api.get("governance", "/audit-log", agency="police").json()["events"]
    meetings = api.get("governance", "/audit-log", aggregate_type="StrategyMeeting").json()

    assert [e["type"] for e in held] == ["StrategyMeeting.Held"]
    assert [e["type"] for e in police] == ["StrategyMeeting.AgencyInvited"]
    assert len(meetings["events"]) == 4
    overdue = api.get("governance", "/reports/overdue-actions", agency="police")
    assert overdue.status_code == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/reports/attendance-compliance", {"from": "2023-12-31", "to": "2023-12-01"}),
        ("/reports/meeting-timeliness", {"from": "2023-12-31", "to": "2023-12-01"}),
        ("/reports/meeting-timeliness", {"from": "2099-01-01"}),  # "to" is today
        ("/audit-log", {"from": "2024-01-02T00:00:00Z", "to": "2024-01-01T00:00:00Z"}),
    ],
)
def test_a_period_ending_before_it_starts_is_422_for_every_report(
    shared_api: Api, path: str, params: dict[str, str]
) -> None:
    response = shared_api.get("governance", path, **params)

    assert response.status_code == 422, response.text
    assert response.json()["title"] == PERIOD_TITLE
    assert response.json()["detail"].startswith(f"from ({params['from'][:10]}")


def test_a_period_of_one_day_is_answered(api: Api) -> None:
    day = {"from": "2023-06-14", "to": "2023-06-14"}

    response = api.get("governance", "/reports/meeting-timeliness", **day)

    assert response.status_code == 200
    assert response.json()["meetings_held"] == 0


def shared_meeting(api: Api) -> None:
    meeting_id = api.meeting()
    api.ok("governance", f"/meetings/{meeting_id}/attendance", {"agency": "police", "attended": 1})
    api.ok(
        "governance",
        f"/meetings/{meeting_id}/record-shared",
        {"shared_at": "2023-06-15T12:00:00+01:00", "agencies": ["police"]},
    )


def percentages(value: Any) -> list[Any]:
    """Every ``..._pct`` value anywhere in a JSON document."""
    if isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            for found in ([item] if key.endswith("_pct") else percentages(item))
        ]
    if isinstance(value, list):
        return [found for item in value for found in percentages(item)]
    return []


def test_percentages_are_numbers_with_one_decimal_place_or_null(api: Api) -> None:
    shared_meeting(api)
    period = {"from": "2023-01-01", "to": "2023-12-31"}

    found = [
        *percentages(api.get("governance", "/reports/attendance-compliance", **period).json()),
        *percentages(api.get("governance", "/reports/meeting-timeliness", **period).json()),
        *percentages(api.get("governance", "/reports/record-quality", audit_ref="NONE").json()),
    ]

    assert 100.0 in found
    assert None in found
    assert all(p is None or (isinstance(p, float) and round(p, 1) == p) for p in found), found


def test_csv_booleans_are_true_and_false(api: Api) -> None:
    shared_meeting(api)

    response = api.get(
        "governance", "/reports/meeting-timeliness", format="csv", **{"from": "2023-01-01"}
    )

    (row,) = csv.DictReader(io.StringIO(response.text))
    assert row["held_within_standard"] == "true"
    assert row["record_shared_within_standard"] == "true"
    assert "True" not in response.text
