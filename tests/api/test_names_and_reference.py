"""Names and reference data over HTTP: who is who (``GET /users``, ``actor.name``, ``by_name``,
looked up when read) and every code a client may send (``GET /reference``)."""

from typing import Any

from domain.codes import Role
from domain.reference import agency_name
from domain.values import Actor
from infrastructure.console.formatting import label as console_label
from tests.api.conftest import Api
from tests.builders import raise_recommendation


def _codes(words: str) -> list[str]:
    return words.split()


CONTRACT_CODES = {
    "agencies": _codes(
        "childrens-social-care police health education probation youth-justice housing"
        " adult-mental-health idva early-help"
    ),
    "statutory_partners": ["childrens-social-care", "police", "health"],
    "health_roles": _codes(
        "mash-nurse health-visitor school-nurse paediatrician gp midwife named-nurse"
    ),
    "meeting_kinds": ["child-protection", "missing", "exploitation", "other"],
    "meeting_formats": ["in-person", "virtual", "phone"],
    "decisions": _codes(
        "section-47 police-investigation joint-visit single-agency-visit further-meeting"
        " no-further-action"
    ),
    "ratings": ["clear", "lacks-clarity"],
    "recommendation_statuses": ["open", "in-progress", "implemented", "assured", "closed"],
    "rags": ["red", "amber", "green"],
    "action_statuses": ["open", "completed", "cancelled"],
    "action_source_kinds": ["recommendation", "strategy-meeting", "marac", "other"],
    "user_roles": ["governance", "agency", "inspector", "reporting"],
}


def user_id(api: Api, name: str) -> str:
    (found,) = (u["user"] for u in api.get("governance", "/users").json() if u["name"] == name)
    return str(found)


def test_governance_and_inspectors_list_users_never_a_token(api: Api) -> None:
    for who in ("governance", "inspector"):
        response = api.get(who, "/users")

        assert response.status_code == 200, response.text
        listed = response.json()
        assert {u["name"] for u in listed} >= {"governance", "inspector", "police"}
        for user in listed:
            assert {"user", "name", "role", "agency", "active"} <= set(user)
            assert not {"token", "token_hash"} & set(user)
            assert not any(str(value).startswith("at_") for value in user.values())
            assert {"token_expires_at", "token_last_used_at"} <= set(user)
        police = next(u for u in listed if u["name"] == "police")
        assert (police["role"], police["agency"], police["active"]) == ("agency", "police", True)
    for who in ("reporting", "health"):
        assert api.get(who, "/users").status_code == 403
    assert api.get("nobody", "/users").status_code == 401


def answered_recommendation(api: Api) -> str:
    """A recommendation answered, its status changed and an action agreed, by governance."""
    recommendation = api.recommendation()
    api.ok(
        "governance",
        f"/recommendations/{recommendation}/responses",
        {"text": "Health now invited", "dated": "2023-12-01"},
    )
    api.ok(
        "governance",
        f"/recommendations/{recommendation}/status",
        {"status": "in-progress", "rag": "amber", "reason": "Under way"},
    )
    return recommendation


def actor_names(events: list[dict[str, Any]]) -> set[str | None]:
    return {e["actor"]["name"] for e in events}


def test_a_renamed_user_reads_by_the_new_name_everywhere(api: Api) -> None:
    recommendation = answered_recommendation(api)
    governance = user_id(api, "governance")
    before = api.get("inspector", f"/recommendations/{recommendation}/history").json()

    renamed = api.ok("governance", f"/users/{governance}/rename", {"name": "Gill Smith"})

    assert (renamed["user"], renamed["name"]) == (governance, "Gill Smith")
    assert actor_names(before["events"]) == {"governance"}
    history = api.get("inspector", f"/recommendations/{recommendation}/history").json()
    log = api.get("inspector", "/audit-log", aggregate_id=recommendation).json()
    feed = api.get("inspector", "/events").json()
    for events in (history["events"], log["events"], feed["events"]):
        assert {e["actor"]["user"] for e in events} == {governance}
        assert actor_names(events) == {"Gill Smith"}
    responses = api.get("inspector", f"/reports/response-history/{recommendation}").json()
    (response,) = responses["responses"]
    (change,) = responses["status_changes"]
    assert (response["by"], response["by_name"]) == (governance, "Gill Smith")
    assert (change["by"], change["by_name"]) == (governance, "Gill Smith")
    state = api.get("inspector", f"/recommendations/{recommendation}").json()
    assert state["responses"][0]["by_name"] == "Gill Smith"
    csv = api.get("inspector", f"/reports/response-history/{recommendation}", format="csv").text
    assert "by_name" in csv.splitlines()[0]
    assert "Gill Smith" in csv


def test_an_unknown_user_keeps_the_id_with_a_null_name(api: Api) -> None:
    services = api.client.app.state.services  # type: ignore[attr-defined]
    recommendation = raise_recommendation(services.trail, Actor("u-gone", Role.GOVERNANCE))

    history = api.get("inspector", f"/recommendations/{recommendation}/history").json()
    feed = api.get("inspector", "/events").json()

    for events in (history["events"], feed["events"]):
        assert [e["actor"]["user"] for e in events] == ["u-gone"]
        assert actor_names(events) == {None}


def test_renaming_needs_a_known_user_and_a_name(api: Api) -> None:
    governance = user_id(api, "governance")

    assert api.post("governance", "/users/u-nobody/rename", {"name": "X"}).status_code == 404
    assert api.post("governance", f"/users/{governance}/rename", {"name": ""}).status_code == 422
    assert api.post("inspector", f"/users/{governance}/rename", {"name": "X"}).status_code == 403


def test_every_signed_in_user_reads_the_reference_data(api: Api) -> None:
    answers = {who: api.get(who, "/reference") for who in ("health", "reporting", "inspector")}

    for response in answers.values():
        assert response.status_code == 200, response.text
    reference = answers["health"].json()
    for name, codes in CONTRACT_CODES.items():
        assert reference[name] == codes, name
    assert reference["recommendation_source_kinds"] == ["audit", "review", "inspection"]
    assert reference["assurance_kinds"] == ["dip-sample", "re-audit"]
    assert reference["meeting_statuses"] == ["requested", "held", "cancelled"]
    assert reference["timescales"] == {
        "meeting_within_working_days": 1,
        "record_shared_within_working_days": 3,
    }
    assert api.get("nobody", "/reference").status_code == 401


def test_agencies_have_one_list_of_names_people_read(api: Api) -> None:
    reference = api.get("health", "/reference").json()

    assert set(reference["agency_names"]) == set(reference["agencies"])
    assert reference["agency_names"]["childrens-social-care"] == "Children's social care"
    assert reference["agency_names"]["police"] == "Police"
    assert reference["agency_names"]["health"] == "Health"
    assert all(name[0].isupper() for name in reference["agency_names"].values())
    assert agency_name("youth-offending") == "Youth offending"  # an extra agency's code
    assert console_label("childrens-social-care") == "Children's social care"
    assert console_label("in-progress") == "in progress"


def test_the_api_docs_read_an_action_not_a_action(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]

    assert paths["/actions/{id}"]["get"]["summary"].startswith("An action: now")
    assert (
        paths["/actions/{id}/history"]["get"]["summary"] == "Every event of an action, oldest first"
    )
    assert paths["/meetings/{id}"]["get"]["summary"].startswith("A strategy meeting: now")
