"""How the command line names a user in its tables: the name, with the id it is recorded by."""

from domain.reference import agency_name
from projections.models import ActorView


def person(user: str, name: str | None) -> str:
    """``Gill Smith (u-1a2b3c4d5e6f)``, or the id alone when the users store does not know it."""
    return f"{name} ({user})" if name else user


def actor(who: ActorView) -> str:
    """The person, their role and agency: ``Pat (u-...), agency police``."""
    agency = f" ({agency_name(who.agency)})" if who.agency else ""
    return f"{person(who.user, who.name)}, {who.role.value}{agency}"
