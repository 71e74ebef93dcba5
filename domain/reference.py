"""Reference data: agency codes, health sub-roles and the statutory partners.

These are configuration, not constants: a partnership may add agencies or change which are
statutory. The defaults are the codes of the API contract.
"""

from dataclasses import dataclass

from domain.errors import UnknownCode
from domain.text import quoted

DEFAULT_AGENCIES: tuple[str, ...] = (
    "childrens-social-care",
    "police",
    "health",
    "education",
    "probation",
    "youth-justice",
    "housing",
    "adult-mental-health",
    "idva",
    "early-help",
)
DEFAULT_HEALTH_ROLES: tuple[str, ...] = (
    "mash-nurse",
    "health-visitor",
    "school-nurse",
    "paediatrician",
    "gp",
    "midwife",
    "named-nurse",
)
DEFAULT_STATUTORY_PARTNERS: tuple[str, ...] = ("childrens-social-care", "police", "health")
#: What a person reads for each agency code: the one list every front end shows (the command
#: line's tables, the console, the API's ``/reference``, CSV downloads' ``agency_name``).
AGENCY_NAMES: dict[str, str] = {
    "childrens-social-care": "Children's social care",
    "police": "Police",
    "health": "Health",
    "education": "Education",
    "probation": "Probation",
    "youth-justice": "Youth justice",
    "housing": "Housing",
    "adult-mental-health": "Adult mental health",
    "idva": "IDVA service",
    "early-help": "Early help",
}


def agency_name(code: str) -> str:
    """An agency as a person reads it: its name in ``AGENCY_NAMES``; an extra agency's code
    as words, capitalised (``youth-offending`` as ``Youth offending``)."""
    name = AGENCY_NAMES.get(code)
    if name is not None:
        return name
    words = code.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class ReferenceData:
    agencies: tuple[str, ...] = DEFAULT_AGENCIES
    health_roles: tuple[str, ...] = DEFAULT_HEALTH_ROLES
    statutory_partners: tuple[str, ...] = DEFAULT_STATUTORY_PARTNERS

    def __post_init__(self) -> None:
        unknown = [code for code in self.statutory_partners if code not in self.agencies]
        if unknown:
            raise UnknownCode(f"statutory partners {unknown} are not configured agencies")

    def require_agency(self, code: str) -> str:
        if code not in self.agencies:
            raise UnknownCode(
                f"unknown agency {quoted(code)}; known agencies: {', '.join(self.agencies)}"
            )
        return code

    def require_role(self, code: str | None) -> str | None:
        """Sub-roles are checked for the codes we know (health); other text passes as is."""
        if code is None or code in self.health_roles:
            return code
        raise UnknownCode(
            f"unknown role {quoted(code)}; known health sub-roles: {', '.join(self.health_roles)}"
        )


DEFAULT_REFERENCE = ReferenceData()
