"""What a projection runner is given besides its log, its database and its projections."""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Notification

from projections.writing import CORE_WRITER, RowWriter

Decode = Callable[[Notification], Any]
EventClass = Callable[[str], type]
"""The class of a topic's events (raises if the topic is unknown)."""
Progress = Callable[[int, int], None]
"""Called after each batch with (events read so far, events to read in all)."""
LockFactory = Callable[[], AbstractContextManager[Any]]
"""Makes a context manager held around some work (``nullcontext``: nothing is held)."""


@dataclass(frozen=True)
class RunnerSettings:
    """How a runner reads, writes and follows the log.

    ``writer`` puts the projections' rows on disk (``CORE_WRITER``: plain SQLAlchemy; the fast
    ones come from ``infrastructure.storage.fastpaths``). ``write_lock`` is held around each
    batch's write transaction: runners sharing a SQLite file can use one to take turns at once
    instead of polling for the database's write lock. ``setup_lock`` is held while the tables
    are made, so that processes starting together take turns. ``event_class`` (a topic's
    class), if given, lets the runner leave undecoded the events that none of its active
    projections handles.
    """

    #: Events read per batch.
    batch_size: int = 2000
    #: The longest pause of the follow loop between two looks at the log; also how long it
    #: trusts the positions it keeps before reading them again.
    max_poll_interval: float = 1.0
    #: How long the follow loop lets new saves gather before applying them in one batch.
    settle: float = 0.05
    writer: RowWriter = CORE_WRITER
    write_lock: LockFactory = nullcontext
    setup_lock: LockFactory = nullcontext
    event_class: EventClass | None = None
