"""Role checks at the edge; the rules themselves are the application's (``permissions``)."""

from application import permissions
from application.errors import Forbidden
from domain.codes import Role
from infrastructure.users import User

READERS = permissions.REPORT_READERS


def require_role(user: User, *roles: Role, to: str) -> None:
    """Refuse a user whose role is not among ``roles``."""
    if user.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise Forbidden(f"the {user.role.value} role may not {to}; allowed: {allowed}")


def overdue_scope(user: User, agency: str | None) -> str | None:
    """The agency whose overdue actions a user may see: agency staff see only their own."""
    return permissions.overdue_scope(user.actor, agency)
