"""A query's declared fields as FastAPI parameters, for the API's routes and the console's pages.

``parameters_of`` makes the dependency that parses a request's query string (and path) into the
application's query, from ``application.queries.asked_fields``: each field under its public name,
with its input type, description and default. An invalid or unknown value is refused with 422
(the console's pages say so in a page) naming the valid values.
"""

from collections.abc import Callable, Mapping
from inspect import Parameter, Signature
from typing import Annotated, Any, TypeVar, get_args

from fastapi import Path, Query

from application.inputs import Moment
from application.queries import AskedField, asked_fields
from application.queries import Query as AppQuery

Q = TypeVar("Q", bound=AppQuery)


def parameters_of(query: type[Q], moment: Any = Moment, **fixed: Any) -> Callable[..., Q]:
    """The dependency answering ``query`` from a request's parameters; ``moment``: the type a
    timestamp is read as (a URL's ``Timestamp``, or the console's picker's ``LocalMoment``);
    ``fixed``: the values of fields the route sets itself (a state's ``kind``). A positional
    field is the path's segment of its public name (``/{id}``)."""
    declared = asked_fields(query)
    fields = {_parameter_name(field): field.field for field in declared}

    def parse(**values: Any) -> Q:
        return query(**{fields[name]: value for name, value in values.items()}, **fixed)

    parse.__signature__ = Signature(  # type: ignore[attr-defined]
        [_parameter(field, moment) for field in declared], return_annotation=query
    )
    parse.__name__ = f"{query.__name__}_parameters"
    return parse


def form_values(given: Mapping[str, str], query: type[AppQuery]) -> dict[str, str | None]:
    """The values a page's filter form shows again: each declared field's, as it was given."""
    return {field.name: given.get(field.name) for field in asked_fields(query)}


def _parameter(field: AskedField, moment: Any) -> Parameter:
    kind = _with_moment(field.type, moment)
    where = (
        Path(description=field.description)
        if field.positional
        else Query(alias=_alias(field), description=field.description or None)
    )
    default = Parameter.empty if field.required else field.default
    return Parameter(
        _parameter_name(field),
        Parameter.KEYWORD_ONLY,
        annotation=Annotated[kind, where],
        default=default,
    )


def _parameter_name(field: AskedField) -> str:
    """A path segment's name is its public name; a query parameter's, the field's (its public
    name may be a keyword, ``from``, and is its alias)."""
    return field.name if field.positional else field.field


def _alias(field: AskedField) -> str | None:
    return field.name if field.name != field.field else None


def _with_moment(kind: Any, moment: Any) -> Any:
    """``kind`` with ``Moment`` (alone or optional) read as ``moment``."""
    if kind == Moment:
        return moment
    if Moment in get_args(kind):
        return moment | None
    return kind
