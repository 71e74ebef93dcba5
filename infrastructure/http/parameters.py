"""Query and path parameter types: the application's input types, as a URL carries them."""

from typing import Annotated

from pydantic import BeforeValidator

from application.inputs import Moment


def _restore_plus(value: object) -> object:
    """The "+" of an offset that URL decoding made a space is put back."""
    return value.strip().replace(" ", "+") if isinstance(value, str) else value


#: A timestamp with offset in a query string, e.g. ``2023-12-04T10:30:00+00:00``.
Timestamp = Annotated[Moment, BeforeValidator(_restore_plus)]
