"""How the console writes values: dates, times in London, codes and links with parameters."""

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from markupsafe import Markup

from domain.reference import AGENCY_NAMES
from infrastructure.presentation.moments import moment_text

LONDON = ZoneInfo("Europe/London")


def when(value: date | datetime | None) -> Markup | str:
    """A date as ``2024-04-01``; a time as London time to the second, as precise as a time is
    asked (``2024-04-01 09:30:05``); each in a ``<time>`` element (never broken across lines)."""
    if value is None:
        return "—"
    shown = moment_text(value) if isinstance(value, datetime) else value.isoformat()
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), shown)


def label(code: str | None) -> str:
    """A code as words (``in-progress`` as ``in progress``); an agency by its name
    (``childrens-social-care`` as ``Children's social care``, ``domain.reference``)."""
    if code is None:
        return "—"
    if code in AGENCY_NAMES:
        return AGENCY_NAMES[code]
    return code.replace("-", " ").replace("_", " ")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def query_with(params: dict[str, Any], **changes: Any) -> str:
    """The query string of ``params`` with ``changes``, values left empty dropped."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def is_moment(value: object) -> bool:
    return isinstance(value, date)


TESTS = {"moment": is_moment}
FILTERS = {"when": when, "label": label, "percent": percent}
