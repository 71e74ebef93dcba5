"""What every client sees: the published OpenAPI document and problem responses."""

import pytest

from tests.api.conftest import Api
from tests.api.test_roles import COMMAND_PATHS, ID

pytestmark = pytest.mark.parametrize("store", ["sqlite"])


def test_openapi_publishes_every_path_of_the_contract(api: Api) -> None:
    document = api.client.get("/openapi.json").json()

    paths = set(document["paths"])
    for path in COMMAND_PATHS:
        assert path.replace(ID, "{id}").replace("/1/", "/{n}/") in paths
    for path in (
        "/meetings/{id}",
        "/meetings/{id}/history",
        "/recommendations/{id}/history",
        "/actions/{id}",
        "/reports/overdue-actions",
        "/reports/attendance-compliance",
        "/reports/meeting-timeliness",
        "/reports/record-quality",
        "/reports/response-history/{recommendation_id}",
        "/audit-log",
        "/events",
        "/projections",
        "/health",
    ):
        assert path in paths
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    held = document["paths"]["/meetings/{id}/held"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in held["parameters"]}
    assert "409" in held["responses"]


def test_unknown_path_and_wrong_method_are_problems(api: Api) -> None:
    missing = api.get("governance", "/nowhere")
    wrong = api.client.delete("/health")

    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert wrong.status_code == 405
    assert wrong.json()["title"] == "Method not allowed"


def test_malformed_json_is_422(api: Api) -> None:
    response = api.client.post(
        "/meetings",
        content=b"{not json",
        headers={**api.headers["governance"], "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["detail"]


def test_openapi_documents_every_error_as_a_problem(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

    operations = {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    for (method, path), operation in operations.items():
        errors = {code: r for code, r in operation["responses"].items() if code >= "400"}
        assert {"413", "500", "503"} <= set(errors), (method, path)
        assert all(r["content"] == problem for r in errors.values()), (method, path)
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert set(operations["get", "/audit-log"]["responses"]) == {
        "200", "401", "403", "413", "422", "429", "500", "503"
    }  # fmt: skip
    assert set(operations["post", "/meetings/{id}/held"]["responses"]) == {
        "200", "401", "403", "404", "409", "413", "422", "429", "500", "503"
    }  # fmt: skip
    assert set(operations["get", "/health"]["responses"]) == {"200", "413", "500", "503"}
    at = next(p for p in operations["get", "/meetings/{id}"]["parameters"] if p["name"] == "at")
    assert {"type": "string", "format": "date-time"} in at["schema"]["anyOf"]


@pytest.mark.parametrize(
    "content",
    [b'{"case_ref": "\xff"}', b"[" * 100_000, b'{"number": ' + b"9" * 5_000 + b"}"],
    ids=["not-utf8", "nested-too-deeply", "too-many-digits"],
)
def test_a_body_that_cannot_be_read_is_422_like_any_invalid_body(api: Api, content: bytes) -> None:
    response = api.client.post(
        "/recommendations",
        content=content,
        headers={**api.headers["governance"], "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    unreadable = {"field": "body", "message": "could not be read as JSON text in UTF-8"}
    assert response.json()["errors"] == [unreadable]
