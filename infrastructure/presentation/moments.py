"""How every front end writes a recorded time: London time to the second, as precise as a
time is asked ("as known at"), so that a time read off a page or a table and asked again gives
the same answer in the console, the command line and the API."""

from datetime import datetime

from domain.clock import LONDON

#: A recorded time as people read it (London).
MOMENT_FORMAT = "%Y-%m-%d %H:%M:%S"


def moment_text(moment: datetime) -> str:
    """``2024-01-15 12:48:46``: the moment in London time, to the second."""
    return moment.astimezone(LONDON).strftime(MOMENT_FORMAT)
