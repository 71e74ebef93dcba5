"""Routes for queries, one per registry entry: the query's declared fields are its parameters.

Each route refuses a caller whose role may never ask the query before reading the parameters,
parses them into the query (``web.query_parameters``) and answers what the presentation facade's
``ask`` gives, as JSON or (``format=csv``) as the entry's CSV.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from application.queries import asked_fields
from infrastructure.http.auth import asking
from infrastructure.http.parameters import Timestamp
from infrastructure.presentation.reports import Report
from infrastructure.storage.users import User
from infrastructure.web.downloads import csv_download
from infrastructure.web.query_parameters import parameters_of
from infrastructure.web.services import ServicesDep

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report, as JSON or (format=csv) as CSV",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[
    Format, Query(description="csv: a CSV download with the columns of the JSON rows")
]
#: How a route answers: the entry, the facade's answer and the format asked.
Respond = Callable[[Report[Any], Any, Format], Any]


def json_or_csv(report: Report[Any], model: Any, format: Format) -> Any:
    return model if format is Format.JSON else csv_download(report, model)


def add_query_route(
    router: APIRouter,
    report: Report[Any],
    *,
    name: str,
    summary: str | None = None,
    respond: Respond | None = json_or_csv,
) -> None:
    """``GET /<report.name>`` (a positional field as a path segment) answering ``report.query``;
    ``respond`` None: JSON only, no ``format`` parameter."""
    positional = [f.name for f in asked_fields(report.query) if f.positional]
    path = f"/{report.name}" + "".join(f"/{{{name}}}" for name in positional)
    who = asking(report.query)
    what = parameters_of(report.query, Timestamp)

    def formatted(
        services: ServicesDep,
        user: Annotated[User, Depends(who)],
        query: Annotated[Any, Depends(what)],
        format: FormatQuery = Format.JSON,
    ) -> Any:
        assert respond is not None
        return respond(report, services.queries.ask(user.actor, query), format)

    def plain(
        services: ServicesDep,
        user: Annotated[User, Depends(who)],
        query: Annotated[Any, Depends(what)],
    ) -> Any:
        return services.queries.ask(user.actor, query)

    router.add_api_route(
        path,
        plain if respond is None else formatted,
        methods=["GET"],
        name=name,
        response_model=report.model,
        summary=summary or report.summary.capitalize(),
        description=report.description,
    )
