"""Errors as RFC 9457 problem details (``application/problem+json``) a person can read."""

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from application.errors import Unauthenticated, VersionConflict
from domain.text import EXCERPT, excerpt
from infrastructure.presentation.failures import (
    DATABASE_UNAVAILABLE,
    failure_of,
    known_kinds,
)
from infrastructure.storage.faults import UNREACHABLE, DatabaseUnavailable, unavailable_reason
from infrastructure.web.ids import is_malformed_id

PROBLEM_JSON = "application/problem+json"
#: How many field errors a problem lists (how much of a value it quotes: ``domain.text``).
MAX_FIELD_ERRORS = 20
logger = logging.getLogger(__name__)


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem; extension members carry what a client can act on."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None
    current_version: int | None = None


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    body = Problem(
        type=f"urn:actiontrail:problem:{slug}",
        title=title,
        status=status,
        detail=detail,
        instance=excerpt(request.url.path, 2 * EXCERPT),
        **extensions,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def field_errors(errors: Sequence[Any], drop_location: bool = True) -> list[FieldError]:
    """Pydantic errors as ``field: message`` pairs, e.g. ``due_on: Input should be a date``.

    Only the messages are used, never the input; at most ``MAX_FIELD_ERRORS`` are listed.
    """
    result = []
    for error in errors[:MAX_FIELD_ERRORS]:
        location = [excerpt(part) for part in error.get("loc", ())]
        if drop_location and location and location[0] in ("body", "query", "path", "header"):
            location = location[1:]
        message = str(error.get("msg", "is invalid"))
        if error.get("type") == "missing":
            message = "is required"
        elif error.get("type") == "extra_forbidden":
            message = "is not a field of this request"
        result.append(FieldError(field=".".join(location) or "body", message=message))
    if len(errors) > MAX_FIELD_ERRORS:
        more = len(errors) - MAX_FIELD_ERRORS
        result.append(FieldError(field="body", message=f"and {more} more errors"))
    return result


def _validation_problem(request: Request, errors: list[FieldError]) -> JSONResponse:
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem_response(request, 422, "Invalid request", detail, errors=errors)


def _invalid_json(error: RequestValidationError) -> FieldError | None:
    """A body that is not JSON, said with where (line, column) and what, or None."""
    errors = error.errors()
    if len(errors) != 1 or errors[0].get("type") != "json_invalid":
        return None
    position = errors[0]["loc"][-1]
    document = error.body if isinstance(error.body, str) else ""
    if not isinstance(position, int) or position > len(document):
        return FieldError(field="body", message="is not valid JSON")
    what = str(errors[0].get("ctx", {}).get("error", "JSON decode error"))
    where = json.JSONDecodeError(what, document, position)
    return FieldError(
        field="body",
        message=f"is not valid JSON: {what[:1].lower()}{what[1:]} "
        f"at line {where.lineno}, column {where.colno}",
    )


def install_problem_handlers(app: FastAPI) -> None:  # noqa: C901 - one branch per kind of failure the app answers
    """Map every error the API can meet to a problem response."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        if is_malformed_id(error.errors()):
            unknown = excerpt(error.errors()[0].get("input"))
            return problem_response(request, 404, "Not found", f"no record has the id {unknown!r}")
        not_json = _invalid_json(error)
        if not_json is not None:
            return _validation_problem(request, [not_json])
        return _validation_problem(request, field_errors(error.errors()))

    @app.exception_handler(ValidationError)
    async def invalid_command(request: Request, error: ValidationError) -> JSONResponse:
        return _validation_problem(request, field_errors(error.errors()))

    async def known(request: Request, error: Exception) -> JSONResponse:
        failure = failure_of(error)
        if failure is None:  # not met: registered for the table's kinds only
            return _internal_error(request, error)
        headers = failure.headers(error)
        if isinstance(error, Unauthenticated):
            headers["WWW-Authenticate"] = "Bearer"
        extensions = {}
        if isinstance(error, VersionConflict):
            extensions["current_version"] = error.current
        return problem_response(
            request,
            failure.status,
            failure.title_of(error),
            str(error),
            headers=headers or None,
            **extensions,
        )

    for kind in known_kinds():
        app.add_exception_handler(kind, known)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == 400:  # FastAPI could not read the body, e.g. not UTF-8
            unreadable = FieldError(field="body", message="could not be read as JSON text in UTF-8")
            return _validation_problem(request, [unreadable])
        titles = {404: "Not found", 405: "Method not allowed"}
        detail = str(error.detail)
        if error.status_code == 404 and detail == "Not Found":
            detail = f"there is no {excerpt(request.url.path)} here; see /docs for the API"
        return problem_response(
            request,
            error.status_code,
            titles.get(error.status_code, "Request failed"),
            detail,
            headers=dict(error.headers) if error.headers else None,
        )

    async def database_error(request: Request, error: Exception) -> JSONResponse:
        reason = unavailable_reason(error)
        if reason is None:
            return _internal_error(request, error)
        return database_unavailable(request, reason)

    kinds: tuple[type[Exception], ...] = (DatabaseUnavailable, *UNREACHABLE, DBAPIError)
    for kind in kinds:
        app.add_exception_handler(kind, database_error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        reason = unavailable_reason(error)
        if reason is not None:
            return database_unavailable(request, reason)
        return _internal_error(request, error)


def database_unavailable(request: Request, reason: str) -> JSONResponse:
    """503, saying no more than that: the reason (driver, host, port, file) is logged only."""
    logger.warning("database unavailable on %s %s: %s", request.method, request.url.path, reason)
    failure, error = DATABASE_UNAVAILABLE, DatabaseUnavailable(reason)
    return problem_response(
        request,
        failure.status,
        failure.title_of(error),
        "the database did not answer; try again shortly (a command sent again with the same "
        "Idempotency-Key is applied once)",
        headers=failure.headers(error),
    )


def _internal_error(request: Request, error: Exception) -> JSONResponse:
    logger.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(
        request,
        500,
        "Internal error",
        "something went wrong on the server; the error was logged and nothing was reported as done",
    )
