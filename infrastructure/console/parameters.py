"""Form fields as the console reads them: the API's types, and local times from a browser's
``datetime-local`` picker read as London time when they carry no offset."""

from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator

from application.inputs import Moment
from infrastructure.console.formatting import LONDON


def _london_if_naive(value: object) -> object:
    """A time without offset, as London time; anything else as given, for ``Moment`` to
    check (and name the expected form if it cannot be read)."""
    if not isinstance(value, str):
        return value
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        return value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LONDON)


#: A recorded time from a picker (``2024-04-01T09:30``, London) or with an offset.
LocalMoment = Annotated[Moment, BeforeValidator(_london_if_naive)]
