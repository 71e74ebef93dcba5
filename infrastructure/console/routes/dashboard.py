"""The dashboard for a period, and overdue actions as of a day and as known at a time."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from application.inputs import Code, Day
from application.queries import CompletedLateQuery, OverdueQuery
from application.queries import Query as AppQuery
from domain.clock import utc_now
from infrastructure.console.dashboard import dashboard as dashboard_of
from infrastructure.console.forms import form_fields
from infrastructure.console.parameters import LocalMoment
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.session import SignedIn
from infrastructure.presentation.reports import COMPLETED_LATE
from infrastructure.web.downloads import csv_download
from infrastructure.web.query_parameters import form_values, parameters_of
from infrastructure.web.services import ServicesDep

router = APIRouter(route_class=ConsoleRoute)


@router.get("/dashboard")
def dashboard(  # noqa: PLR0913 - FastAPI takes each input as a parameter
    request: Request,
    services: ServicesDep,
    user: SignedIn,
    from_date: Annotated[Day | None, Query(alias="from")] = None,
    to_date: Annotated[Day | None, Query(alias="to")] = None,
    audit: Code | None = None,
) -> HTMLResponse:
    board = dashboard_of(services.queries, user.actor, from_date, to_date, [audit] if audit else [])
    return render(
        request,
        "dashboard.html",
        user,
        board=board,
        audit=audit or "",
        partnership=services.settings.partnership_name,
        produced=utc_now(),
    )


OverdueAsked = Annotated[OverdueQuery, Depends(parameters_of(OverdueQuery, LocalMoment))]
CompletedLateAsked = Annotated[
    CompletedLateQuery, Depends(parameters_of(CompletedLateQuery, LocalMoment))
]


def _report_page(
    request: Request, services: ServicesDep, user: SignedIn, query: AppQuery, template: str
) -> HTMLResponse:
    """A report's page: the answer to ``query``, under the filter form as it was filled in."""
    report = services.queries.ask(user.actor, query)
    params = form_values(request.query_params, type(query))
    form = form_fields(type(query))
    return render(request, template, user, report=report, params=params, form=form)


@router.get("/overdue")
def overdue(
    request: Request, services: ServicesDep, user: SignedIn, query: OverdueAsked
) -> HTMLResponse:
    return _report_page(request, services, user, query, "overdue.html")


# Not ``completed_late``: the API's report route has that name, and a link by name would be its.
@router.get("/completed-late", name="completed_late_page")
def completed_late(
    request: Request, services: ServicesDep, user: SignedIn, query: CompletedLateAsked
) -> Response:
    """The report for a period (``.csv``: as the API's CSV)."""
    return _report_page(request, services, user, query, "completed_late.html")


@router.get("/completed-late.csv")
def completed_late_csv(
    services: ServicesDep, user: SignedIn, query: CompletedLateAsked
) -> Response:
    return csv_download(COMPLETED_LATE, services.queries.ask(user.actor, query))
