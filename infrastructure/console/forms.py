"""A query's filter form, from its declared fields (``application.queries.asked_fields``).

Each field the console offers (``Asked.form``) is an input under its public name, labelled
with its declared label: a day a date picker, a recorded time a ``datetime-local`` picker (to
the second, read as London time), a number a number input from its least value, a code list
or a choice of words a select, an agency a select of the configured agencies, anything else
text. The templates' ``query_fields`` macro renders them.
"""

from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from annotated_types import Ge

from application import inputs
from application.queries import AskedField, Query, asked_fields
from domain.codes import Code

#: Each input type's input.
INPUTS = ((inputs.Day, "date"), (inputs.Moment, "datetime-local"))
#: The field whose choices are the configured agencies.
AGENCY = "agency"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    #: The ``<input>``'s type, or ``select``.
    input: str
    #: A select's choices; empty for the configured agencies (given to every page).
    choices: tuple[str, ...] = ()
    #: A number's least value.
    min: int | None = None
    required: bool = False


def form_fields(query: type[Query]) -> list[FormField]:
    """The inputs of ``query``'s form, in declaration order (a positional field is the page's
    address, not an input)."""
    return [_input(f) for f in asked_fields(query) if f.form and not f.positional]


def _input(field: AskedField) -> FormField:
    kind = field.value_type
    common: dict[str, Any] = {"name": field.name, "label": field.label, "required": field.required}
    if field.name == AGENCY:
        return FormField(input="select", **common)
    if get_origin(kind) is Literal:
        return FormField(input="select", choices=get_args(kind), **common)
    if isinstance(kind, type) and issubclass(kind, Code):
        return FormField(input="select", choices=tuple(code.value for code in kind), **common)
    if get_origin(kind) is not None and get_args(kind)[0] is int:
        return FormField(input="number", min=_least(kind), **common)
    return FormField(input=next((i for known, i in INPUTS if known == kind), "text"), **common)


def _least(kind: Any) -> int | None:
    """The least value of an ``Annotated`` int's ``Field(ge=...)``."""
    for meta in get_args(kind)[1:]:
        for bound in getattr(meta, "metadata", ()):
            if isinstance(bound, Ge) and isinstance(bound.ge, int):
                return bound.ge
    return None
