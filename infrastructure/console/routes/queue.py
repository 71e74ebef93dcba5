"""Governance's work queue: agency submissions waiting for a decision, oldest first."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from application.queries import QueueQuery
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.session import SignedIn
from infrastructure.presentation.reports import WORK_QUEUE
from infrastructure.web.downloads import csv_download
from infrastructure.web.services import ServicesDep

router = APIRouter(route_class=ConsoleRoute)


@router.get("/queue")
def queue(request: Request, services: ServicesDep, user: SignedIn) -> Response:
    return render(request, "queue.html", user, queue=services.queries.ask(user.actor, QueueQuery()))


@router.get("/queue.csv")
def queue_csv(services: ServicesDep, user: SignedIn) -> Response:
    return csv_download(WORK_QUEUE, services.queries.ask(user.actor, QueueQuery()))
