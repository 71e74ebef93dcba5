"""Completed late: against the due date in force on the completion date, in the state, the
lists and the report (JSON, CSV), on both stores."""

import csv
import io

from tests.api.conftest import Api
from tests.builders import recorded_at


def briefing(api: Api, agency: str = "police", due_on: str = "2024-03-31") -> str:
    body = {
        "source": {"kind": "marac", "ref": "MARAC-2024-01"},
        "agency": agency,
        "description": "Brief MARAC chairs on strategy meetings",
        "due_on": due_on,
        "agreed_on": "2024-01-08",
    }
    return str(api.ok("governance", "/actions", body, 201)["id"])


def complete(api: Api, action_id: str, on: str) -> None:
    api.ok("governance", f"/actions/{action_id}/complete", {"completed_on": on, "evidence": "Done"})


def test_completed_after_the_due_date_in_force_then_is_late_by_calendar_and_working_days(
    api: Api,
) -> None:
    late = briefing(api)  # due Sunday 31 March 2024; Monday 1 April was Easter Monday
    assert api.get("governance", f"/actions/{late}").json()["completed_late"] is None
    complete(api, late, "2024-04-12")

    state = api.get("police", f"/actions/{late}").json()
    assert (state["completed_late"], state["days_late"], state["working_days_late"]) == (
        True,
        12,
        9,
    )

    on_time = briefing(api)
    api.ok(
        "governance",
        f"/actions/{on_time}/due-date",
        {"due_on": "2024-04-30", "reason": "Chairs away", "effective_on": "2024-03-15"},
    )
    complete(api, on_time, "2024-04-12")
    state = api.get("governance", f"/actions/{on_time}").json()
    assert (state["completed_late"], state["days_late"], state["working_days_late"]) == (
        False,
        0,
        0,
    )

    # A revision that took effect only after the completion date does not excuse it.
    revised_after = briefing(api)
    api.ok(
        "governance",
        f"/actions/{revised_after}/due-date",
        {"due_on": "2024-04-30", "reason": "Late request", "effective_on": "2024-04-20"},
    )
    complete(api, revised_after, "2024-04-12")
    state = api.get("governance", f"/actions/{revised_after}").json()
    assert (state["due_on"], state["completed_late"], state["days_late"]) == (
        "2024-04-30",
        True,
        12,
    )

    items = api.get("governance", "/actions", agency="police").json()["items"]
    assert [(i["id"], i["completed_late"]) for i in items] == [
        (late, True),
        (on_time, False),
        (revised_after, True),
    ]
    listed = csv_rows(api.get("governance", "/actions", agency="police", format="csv").text)
    assert [(r["completed_late"], r["days_late"], r["working_days_late"]) for r in listed] == [
        ("true", "12", "9"),
        ("false", "0", "0"),
        ("true", "12", "9"),
    ]

    report = api.get("governance", "/reports/completed-late", **PERIOD).json()
    assert [
        (r["action_id"], r["due_on"], r["days_late"], r["working_days_late"])
        for r in report["rows"]
    ] == sorted([(late, "2024-03-31", 12, 9), (revised_after, "2024-03-31", 12, 9)])
    assert report["agencies"] == [
        {"agency": "police", "completed": 3, "completed_late": 2, "completed_late_pct": 66.7}
    ]
    row = report["rows"][0]
    assert (row["agency"], row["completed_on"], row["source_kind"]) == (
        "police",
        "2024-04-12",
        "marac",
    )
    text = api.get("governance", "/reports/completed-late", format="csv", **PERIOD).text
    assert text.splitlines()[0].startswith(
        "action_id,agency,agency_name,description,source_kind,source_ref,"
    )
    assert len(csv_rows(text)) == 2


PERIOD = {"from": "2024-04-01", "to": "2024-04-30"}


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_report_by_period_agency_and_as_known_at_a_time(api: Api) -> None:
    with recorded_at("2024-01-08T09:00:00+00:00"):
        police, health = briefing(api, "police"), briefing(api, "health")
    with recorded_at("2024-04-15T09:00:00+01:00"):
        complete(api, police, "2024-04-12")
    with recorded_at("2024-05-02T09:00:00+01:00"):
        complete(api, health, "2024-05-01")
    reopened = briefing(api, "police")
    complete(api, reopened, "2024-04-05")
    api.ok("governance", f"/actions/{reopened}/reopen", {"reason": "Evidence missing"})

    def late(who: str = "governance", **params: str) -> list[str]:
        response = api.get(who, "/reports/completed-late", **params)
        assert response.status_code == 200, response.text
        return [r["action_id"] for r in response.json()["rows"]]

    assert late(**{"from": "2024-04-01", "to": "2024-05-31"}) == [police, health]
    assert late(**PERIOD) == [police]
    assert late(**{"from": "2024-04-01", "to": "2024-05-31", "agency": "health"}) == [health]
    assert late(
        **{"from": "2024-04-01", "to": "2024-05-31", "known_at": "2024-04-20T00:00:00Z"}
    ) == [police]
    assert late("health", **{"from": "2024-04-01", "to": "2024-05-31"}) == [health]
    assert late("inspector", **PERIOD) == [police]
    refused = api.get("health", "/reports/completed-late", agency="police", **PERIOD)
    assert refused.status_code == 403
    backwards = api.get(
        "governance", "/reports/completed-late", **{"from": "2024-05-01", "to": "2024-04-01"}
    )
    assert backwards.status_code == 422
    unknown = api.get("governance", "/reports/completed-late", agency="nope")
    assert unknown.status_code == 422
