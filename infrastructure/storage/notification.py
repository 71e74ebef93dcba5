"""Wake-ups: projection runners hear of a saved command at once instead of at their next poll.

The runner polls with backoff (up to a second) on both stores. Runners also wake as soon
as a command is saved: in the same process directly (``on_saved`` of a
``NotifyingActionTrail``), and on PostgreSQL in any process through the ``NOTIFY`` that every
write sends in its own transaction on a channel named after the schema, which a
``PostgresListener`` LISTENs to. A ``Notifier`` joins both to one runner's ``poke``.

``NotifyingActionTrail`` keeps the stored name of ``ActionTrail`` (``STORED_NAME``), so it saves
into the one log like every other process.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from eventsourcing.persistence import Recording
from psycopg import sql

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.storage.database import postgres_conninfo
from infrastructure.storage.recorders import log_channel

log = logging.getLogger(__name__)

Wake = Callable[[], None]


def notify_channel(settings: Settings) -> str:
    """The NOTIFY channel of one schema's log."""
    return log_channel(settings.database_schema)


class NotifyingActionTrail(ActionTrail):
    """ActionTrail that tells this process's projection runners about every save.

    ``on_saved`` callbacks (e.g. a runner's ``poke``) get the newest position. Runners in other
    processes hear of it on PostgreSQL through the ``NOTIFY`` every write sends in its own
    transaction (``infrastructure.storage.recorders.log_channel``), whichever application wrote it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_saved: list[Callable[[int], None]] = []

    def _notify(self, recordings: list[Recording[Any]]) -> None:
        super()._notify(recordings)
        if not recordings:
            return
        position = max(r.notification.id for r in recordings)
        for callback in self.on_saved:
            callback(position)


#: How often a listener waiting for a NOTIFY looks whether it is asked to stop: what a server's or
#: a test's shutdown waits for it, at most (a look costs a poll of the socket).
STOP_CHECK_SECONDS = 0.1


class PostgresListener:
    """LISTENs on the log's channel in a thread and calls ``on_notify`` on each NOTIFY."""

    def __init__(self, settings: Settings, on_notify: Wake) -> None:
        self.conninfo = postgres_conninfo(settings)
        self.channel = notify_channel(settings)
        self.on_notify = on_notify
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._listen, name="projection-listener", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(5)

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=STOP_CHECK_SECONDS, stop_after=1):
                            self.on_notify()
            except psycopg.Error:
                log.warning("LISTEN connection lost; reconnecting", exc_info=True)
                self._stopping.wait(1.0)


class Notifier:
    """Calls ``wake`` when a command is saved: by ``app`` in this process (when it is a
    ``NotifyingActionTrail``) and, on PostgreSQL, by any process (LISTEN, from ``start``)."""

    def __init__(self, settings: Settings, app: ActionTrail, wake: Wake) -> None:
        if isinstance(app, NotifyingActionTrail):
            app.on_saved.append(lambda _: wake())
        self.listener = PostgresListener(settings, wake) if settings.store == "postgresql" else None

    def start(self) -> None:
        if self.listener is not None:
            self.listener.start()

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
