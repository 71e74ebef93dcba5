"""``GET /meetings``, ``/recommendations``, ``/actions``: filters, paging, scope, CSV, 422s."""

import csv
import io
from typing import Any

from tests.api.conftest import HELD_AT, Api


def _meeting(api: Api, case_ref: str, team: str) -> str:
    body = {
        "case_ref": case_ref,
        "concern_raised_at": "2023-06-13T09:30:00+01:00",
        "kind": "child-protection",
        "team": team,
    }
    return str(api.ok("governance", "/meetings", body, 201)["id"])


def _action(api: Api, agency: str, due_on: str, kind: str = "marac", ref: str = "M-1") -> str:
    body = {
        "source": {"kind": kind, "ref": ref},
        "agency": agency,
        "description": "Share the plan",
        "due_on": due_on,
        "agreed_on": "2023-09-01",
    }
    return str(api.ok("governance", "/actions", body, 201)["id"])


def _items(api: Api, who: str, path: str, **params: Any) -> list[str]:
    response = api.get(who, path, **params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_meetings_are_listed_as_their_states_oldest_first_at_once(api: Api) -> None:
    north = _meeting(api, "CASE-N", "North")
    api.ok("governance", f"/meetings/{north}/held", {"held_at": HELD_AT, "format": "virtual"})
    south = _meeting(api, "CASE-S", "South")
    cancelled = _meeting(api, "CASE-C", "North")
    api.ok("governance", f"/meetings/{cancelled}/cancel", {"reason": "family moved"})

    page = api.get("inspector", "/meetings").json()

    assert [item["id"] for item in page["items"]] == [north, south, cancelled]
    assert "next_after" not in page
    for item in page["items"]:
        assert item == api.get("inspector", f"/meetings/{item['id']}").json()
    assert _items(api, "governance", "/meetings", status="held") == [north]
    assert _items(api, "governance", "/meetings", team="North") == [north, cancelled]
    assert _items(api, "governance", "/meetings", case_ref="CASE-S") == [south]
    held_on = HELD_AT[:10]
    assert _items(api, "governance", "/meetings", held_from=held_on, held_to=held_on) == [north]
    assert _items(api, "governance", "/meetings", held_from="2023-06-15") == []


def test_a_list_is_paged_by_its_cursor(api: Api) -> None:
    created = [_action(api, "health", "2023-09-30") for _ in range(5)]

    seen: list[str] = []
    pages = 0
    after = 0
    while True:
        page = api.get("governance", "/actions", limit=2, after=after).json()
        pages += 1
        seen += [item["id"] for item in page["items"]]
        if "next_after" not in page:
            break
        after = page["next_after"]

    assert (seen, pages) == (created, 3)


def test_actions_filter_by_agency_status_due_date_and_source(api: Api) -> None:
    early = _action(api, "health", "2023-09-10", "marac", "MARAC-7")
    late = _action(api, "police", "2023-12-31", "other", "PLAN-2")
    done = _action(api, "health", "2023-10-31", "marac", "MARAC-8")
    api.ok(
        "governance",
        f"/actions/{done}/complete",
        {"completed_on": "2023-10-01", "evidence": "done"},
    )
    moved = _action(api, "health", "2023-09-20")
    api.ok("governance", f"/actions/{moved}/reassign", {"agency": "police", "reason": "theirs"})

    assert _items(api, "inspector", "/actions", agency="health") == [early, done]
    assert _items(api, "inspector", "/actions", agency="police") == [late, moved]
    assert _items(api, "inspector", "/actions", status="completed") == [done]
    assert _items(api, "inspector", "/actions", due_before="2023-09-30") == [early, moved]
    assert _items(api, "inspector", "/actions", source_kind="other") == [late]
    assert _items(api, "inspector", "/actions", source_ref="MARAC-8") == [done]


def test_agency_staff_list_only_their_own_agencys_actions(api: Api) -> None:
    health = _action(api, "health", "2023-09-30")
    _action(api, "police", "2023-09-30")

    assert _items(api, "health", "/actions") == [health]
    assert _items(api, "health", "/actions", agency="health") == [health]
    assert api.get("health", "/actions", agency="police").status_code == 403
    for path in ("/meetings", "/recommendations"):
        assert api.get("health", path).status_code == 403
    for path in ("/meetings", "/recommendations", "/actions"):
        assert api.get("reporting", path).status_code == 403
        assert api.get("nobody", path).status_code == 401


def test_recommendations_filter_by_status_rag_and_source(api: Api) -> None:
    first = api.recommendation(1)
    second = api.recommendation(2)
    change = {"status": "in-progress", "rag": "amber", "reason": "started"}
    api.ok("governance", f"/recommendations/{second}/status", change)
    other = api.ok(
        "governance",
        "/recommendations",
        {
            "source": {"kind": "review", "ref": "LCSPR-9", "title": "Review"},
            "number": 1,
            "text": "Train staff",
            "raised_on": "2023-10-16",
        },
        201,
    )["id"]

    page = api.get("inspector", "/recommendations").json()

    assert [item["id"] for item in page["items"]] == [first, second, other]
    assert page["items"][1] == api.get("inspector", f"/recommendations/{second}").json()
    assert _items(api, "inspector", "/recommendations", status="open") == [first, other]
    assert _items(api, "inspector", "/recommendations", status="in-progress") == [second]
    assert _items(api, "inspector", "/recommendations", rag="amber") == [second]
    assert _items(api, "inspector", "/recommendations", source_ref="LCSPR-9") == [other]


def test_lists_as_csv_have_the_states_fields_as_columns(api: Api) -> None:
    action_id = _action(api, "health", "2023-09-30")

    download = api.get("governance", "/actions", format="csv")
    empty = api.get("governance", "/meetings", format="csv")

    assert download.headers["content-type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(download.text)))
    state = api.get("governance", f"/actions/{action_id}").json()
    # the state's fields, its source spread over a column per field (no JSON in a cell), the
    # agency's name beside its code
    columns = [
        f"source_{inner}" if name == "source" else name
        for name, value in state.items()
        for inner in (value if name == "source" else [None])
    ]
    columns.insert(columns.index("agency") + 1, "agency_name")
    assert list(row) == columns
    assert row["agency_name"] == "Health"
    assert row["source_kind"] == state["source"]["kind"]
    assert (row["id"], row["agency"], row["due_on"]) == (action_id, "health", "2023-09-30")
    assert empty.text.startswith("id,version,status,case_ref,")


def test_unknown_codes_and_reversed_periods_are_422_naming_the_valid_values(api: Api) -> None:
    cases = [
        ("/meetings", {"status": "Held"}, "requested"),
        ("/meetings", {"held_from": "2023-07-01", "held_to": "2023-06-01"}, "held_from"),
        ("/recommendations", {"rag": "purple"}, "amber"),
        ("/recommendations", {"status": "done"}, "in-progress"),
        ("/actions", {"agency": "Police"}, "childrens-social-care"),
        ("/actions", {"source_kind": "audit"}, "strategy-meeting"),
        ("/actions", {"status": "overdue"}, "cancelled"),
        ("/actions", {"limit": 0}, "1"),
    ]
    for path, params, named in cases:
        response = api.get("governance", path, **params)
        assert response.status_code == 422, (path, params, response.text)
        assert named in response.text, (path, params, response.text)


def test_oldest_first_is_by_the_date_shown_and_pages_follow_it(api: Api) -> None:
    """Actions by the day agreed and meetings by the concern raised, not in the order entered
    (a backlog is often entered newest first); each page continues after the last item shown,
    even when that item no longer matches the filter."""

    def agreed(on: str, agency: str = "health") -> str:
        body = {
            "source": {"kind": "marac", "ref": "M-1"},
            "agency": agency,
            "description": "Share the plan",
            "due_on": "2024-12-31",
            "agreed_on": on,
        }
        return str(api.ok("governance", "/actions", body, 201)["id"])

    january, december, september, also_january = (
        agreed("2024-01-08"),
        agreed("2023-12-01"),
        agreed("2023-09-04", "police"),
        agreed("2024-01-08"),
    )
    by_date = [september, december, january, also_january]
    assert _items(api, "governance", "/actions") == by_date
    walked, after = [], 0
    while after is not None:
        page = api.get("governance", "/actions", limit=1, after=after).json()
        walked += [item["id"] for item in page["items"]]
        after = page.get("next_after")
    assert walked == by_date
    first = api.get("governance", "/actions", limit=1).json()
    assert first["items"][0]["id"] == september
    rest = _items(api, "governance", "/actions", agency="health", after=first["next_after"])
    assert rest == [december, january, also_january], "after an item the filter leaves out"

    later = _meeting(api, "CASE-LATER", "North")
    body = {
        "case_ref": "CASE-EARLIER",
        "concern_raised_at": "2023-05-02T09:30:00+01:00",
        "kind": "child-protection",
        "team": "North",
    }
    earlier = str(api.ok("governance", "/meetings", body, 201)["id"])
    assert _items(api, "governance", "/meetings") == [earlier, later]
