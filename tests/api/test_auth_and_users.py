"""Bearer tokens: who is let in, and governance managing users."""

from tests.api.conftest import Api

PROBLEM = "application/problem+json"


def test_health_needs_no_token_and_names_the_store(api: Api, store: str) -> None:
    response = api.client.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == ("sqlite" if store == "sqlite" else "postgresql")
    assert body["head"] == 0


def test_no_token_is_401_with_a_bearer_challenge(api: Api) -> None:
    response = api.get("nobody", "/users")

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


def test_unknown_token_is_401(api: Api) -> None:
    response = api.client.get("/users", headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 401
    assert response.json()["title"] == "Authentication required"


def test_governance_adds_a_user_whose_token_works_once_shown(api: Api) -> None:
    added = api.ok(
        "governance", "/users", {"name": "Ann", "role": "agency", "agency": "police"}, 201
    )

    assert set(added) == {"user", "name", "role", "agency", "token"}
    assert (added["role"], added["agency"]) == ("agency", "police")
    listed = api.get("governance", "/users").json()
    assert added["user"] in {u["user"] for u in listed}
    assert all("token" not in u for u in listed)
    own = {"Authorization": f"Bearer {added['token']}"}
    assert api.client.get("/reports/overdue-actions", headers=own).status_code == 200


def test_a_revoked_token_stops_working_at_once(api: Api) -> None:
    added = api.ok("governance", "/users", {"name": "Bo", "role": "inspector"}, 201)
    headers = {"Authorization": f"Bearer {added['token']}"}
    assert api.client.get("/projections", headers=headers).status_code == 200

    revoked = api.ok("governance", f"/users/{added['user']}/revoke", None)

    assert revoked["active"] is False
    assert api.client.get("/projections", headers=headers).status_code == 401


def test_agency_user_needs_a_known_agency(api: Api) -> None:
    missing = api.post("governance", "/users", {"name": "Cy", "role": "agency"})
    unknown = api.post(
        "governance", "/users", {"name": "Cy", "role": "agency", "agency": "fire-service"}
    )

    assert missing.status_code == 422
    assert "needs an agency" in missing.json()["detail"]
    assert unknown.status_code == 422
    assert "fire-service" in unknown.json()["detail"]


def test_unknown_role_is_422_naming_the_field(api: Api) -> None:
    response = api.post("governance", "/users", {"name": "Di", "role": "admin"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


def test_revoking_an_unknown_user_is_404(api: Api) -> None:
    assert api.post("governance", "/users/u-nobody/revoke").status_code == 404


def test_only_governance_manages_users(api: Api) -> None:
    for who in ("inspector", "reporting", "health"):
        assert api.post(who, "/users", {"name": "X", "role": "inspector"}).status_code == 403
        assert api.post(who, "/users/u-x/revoke").status_code == 403
        assert api.post(who, "/users/u-x/rename", {"name": "X"}).status_code == 403


def test_a_name_another_user_has_is_refused_whatever_its_case_and_spaces(api: Api) -> None:
    first = api.ok("governance", "/users", {"name": "Pat Police", "role": "inspector"}, 201)
    api.ok("governance", f"/users/{first['user']}/revoke", None)  # still in the audit trail

    again = api.post(
        "governance", "/users", {"name": "  pat   POLICE ", "role": "agency", "agency": "police"}
    )

    assert again.status_code == 409, again.text
    assert again.json()["title"] == "User name taken"
    assert again.json()["detail"].startswith(
        f"another user ({first['user']}, revoked) is already named 'Pat Police'"
    )
    other = api.ok(
        "governance", "/users", {"name": "Pat Police (health)", "role": "inspector"}, 201
    )
    renamed = api.post("governance", f"/users/{other['user']}/rename", {"name": "PAT POLICE"})
    assert renamed.status_code == 409
    own = api.ok("governance", f"/users/{first['user']}/rename", {"name": "pat police"})
    assert own["name"] == "pat police"
    names = [u["name"].casefold() for u in api.get("governance", "/users").json()]
    assert names.count("pat police") == 1
