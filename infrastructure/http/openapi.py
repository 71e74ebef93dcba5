"""The published OpenAPI document says what the server does: every error is a problem.

FastAPI documents errors as ``application/json`` and only the statuses a route declares; the
server answers ``application/problem+json`` and can answer more. Each operation gets every status
it can answer, each documented with the ``Problem`` schema.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from infrastructure.http.problems import PROBLEM_JSON, Problem

DESCRIPTIONS = {
    401: "No token, or an unknown, revoked or expired one",
    403: "The user's role may not do this",
    404: "No such meeting, recommendation, action or user",
    409: "A domain rule or a version conflict",
    413: "The request body is over 1 MiB",
    422: "A parameter or the body fails validation",
    429: "Too many failed tokens from this address or for this account; see Retry-After",
    500: "An unexpected error; it was logged and nothing was reported as done",
    503: "The database cannot be reached, or the reports are catching up; retry later",
}
#: What any request can meet, whatever the operation.
ALWAYS = (413, 500, 503)
UNUSED_SCHEMAS = ("HTTPValidationError", "ValidationError")


def statuses(path: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer."""
    found = set(ALWAYS)
    if operation.get("security"):
        found |= {401, 403, 429}
    if "{" in path:
        found.add(404)
    if operation.get("parameters") or operation.get("requestBody"):
        found.add(422)
    found |= {int(status) for status in operation["responses"] if status[0] in "45"}
    return found


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with every operation's errors as problems (changed in place)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, item in document["paths"].items():
        for operation in item.values():
            responses = operation["responses"]
            for status in sorted(statuses(path, operation)):
                responses[str(status)] = {"description": DESCRIPTIONS[status], "content": content}
    for name in UNUSED_SCHEMAS:
        schemas.pop(name, None)
    return document


def install_problem_documentation(app: FastAPI) -> None:
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
