"""Users' names beside their ids, looked up from the users store when an answer is read.

Events and read models record who acted by user id only; ``with_names`` fills in every
``actor.name`` (an ``ActorView``) and every ``<field>_name`` beside a user id field ending in
``by`` (``by``, ``assessed_by``, ``decided_by``, ``submitted_by``, ...) of one answer, from one
lookup of all the ids it holds. An id the store does not know keeps a null name.

Events' entries (the feed, an aggregate's history) are built named instead, from the same one
lookup (``projections.audit_log.entries_of``): a page of them is many models to copy.
"""

from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

from projections.models import ActorView, LogEntry, NameLookup

M = TypeVar("M", bound=BaseModel)


def with_names(answer: M, lookup: NameLookup) -> M:
    """``answer`` with the name of every user it names, looked up once."""
    ids: set[str] = set()
    _collect_ids(answer, ids)
    if not ids:
        return answer
    named: M = _named(answer, lookup(ids))
    return named


@cache
def _named_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` holding a user id that have a ``<field>_name`` to fill."""
    fields = model.model_fields
    return tuple(f for f in fields if (f == "by" or f.endswith("_by")) and f"{f}_name" in fields)


def _by(model: BaseModel) -> dict[str, str]:
    """The ids of the users a model names in its ``*by`` fields, by field (those set)."""
    found = {}
    for field in _named_fields(type(model)):
        value = getattr(model, field)
        if isinstance(value, str):
            found[field] = value
    return found


def _collect_ids(value: Any, ids: set[str]) -> None:
    """Add to ``ids`` those of the users ``value`` names (its models and lists, not scalars)."""
    if isinstance(value, list):
        for item in value:
            _collect_ids(item, ids)
    elif isinstance(value, ActorView):
        ids.add(value.user)
    elif isinstance(value, BaseModel):
        ids.update(_by(value).values())
        for field in type(value).model_fields:
            if isinstance(inner := getattr(value, field), BaseModel | list):
                _collect_ids(inner, ids)


def _named(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, list):
        return [_named(item, names) for item in value]
    if isinstance(value, ActorView):
        return value.model_copy(update={"name": names.get(value.user)})
    if not isinstance(value, BaseModel):
        return value
    update = {
        field: _named(inner, names)
        for field in type(value).model_fields
        if isinstance(inner := getattr(value, field), BaseModel | list)
    }
    for field, user in _by(value).items():
        update[f"{field}_name"] = names.get(user)
    return value.model_copy(update=update) if update else value


def readable_data(entry: LogEntry) -> dict[str, Any]:
    """An entry's data as a person reads it: a user id it records (``approved_by``, the actor
    who approved a revision) with the actor's name beside it, ``Gill Smith (u-...)``."""
    actor = entry.actor
    if actor.name is None:
        return entry.data
    return {
        key: f"{actor.name} ({value})"
        if (key == "by" or key.endswith("_by")) and value == actor.user
        else value
        for key, value in entry.data.items()
    }
