"""Role checks at the edge; the rules themselves are the application's (``permissions``)."""

from application.errors import Forbidden
from domain.codes import Role
from infrastructure.storage.users import User


def require_role(user: User, *roles: Role, to: str) -> None:
    """Refuse a user whose role is not among ``roles``."""
    if user.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise Forbidden(f"the {user.role.value} role may not {to}; allowed: {allowed}")
