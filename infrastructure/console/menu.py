"""The console's pages in its menu, each shown to the roles that may ask its query (the
application's role table decides, as for the API)."""

from dataclasses import dataclass

from application import queries as q
from application.permissions import QUERY_READERS
from infrastructure.storage.users import User


@dataclass(frozen=True)
class Entry:
    route: str
    title: str
    query: type[q.Query]


MENU = (
    Entry("dashboard", "Dashboard", q.AttendanceQuery),
    Entry("meetings", "Meetings", q.MeetingListQuery),
    Entry("recommendations", "Recommendations", q.RecommendationListQuery),
    Entry("actions", "Actions", q.ActionListQuery),
    Entry("overdue", "Overdue actions", q.OverdueQuery),
    Entry("completed_late_page", "Completed late", q.CompletedLateQuery),
    Entry("queue", "Queue", q.QueueQuery),
    Entry("packs", "Inspection packs", q.PackQuery),
)


def menu_for(user: User) -> list[Entry]:
    return [entry for entry in MENU if user.role in QUERY_READERS[entry.query]]


def home_for(user: User) -> str:
    """The route a user lands on after signing in: their first page."""
    return menu_for(user)[0].route
