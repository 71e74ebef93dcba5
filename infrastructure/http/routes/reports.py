"""Reports from the read models, as JSON or CSV; each reflects every command answered before it.

One route per registered report (``/reports/<name>``): its parameters are the report's query's
declared fields, its model and CSV columns the registry's.
"""

from fastapi import APIRouter

from infrastructure.http.query_routes import CSV_RESPONSE, add_query_route
from infrastructure.presentation.reports import REPORTS

router = APIRouter(prefix="/reports", tags=["reports"], responses=CSV_RESPONSE)
for report in REPORTS:
    add_query_route(router, report, name=report.name.replace("-", "_"))
