"""Who reads the read models (the handbook's role table, for what the application does not
guard itself: reports, the audit log, the event feed and the projections' status)."""

from application.errors import Forbidden
from domain.codes import Role
from infrastructure.users import User

READERS = (Role.GOVERNANCE, Role.INSPECTOR, Role.REPORTING)


def require_role(user: User, *roles: Role, to: str) -> None:
    """Refuse a user whose role is not among ``roles``."""
    if user.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise Forbidden(f"the {user.role.value} role may not {to}; allowed: {allowed}")


def overdue_scope(user: User, agency: str | None) -> str | None:
    """The agency whose overdue actions a user may see: agency staff see only their own."""
    if user.role is not Role.AGENCY:
        require_role(user, *READERS, to="read reports")
        return agency
    if agency not in (None, user.agency):
        raise Forbidden("agency staff may read only the actions of their own agency")
    return user.agency
