"""The eventsourcing library's PostgreSQL store, whose connections give up rather than hang.

The library opens its pool's connections with no ``connect_timeout`` (libpq then waits for
minutes on a host that does not answer) and, once the database is gone, retries a broken slot
with doubling pauses for five minutes, so a server took ~15 s to notice that the database was
back. Here connections carry ``LIBPQ_TIMEOUTS`` and a slot gives up after ``RECONNECT_SECONDS``,
after which the next request connects afresh.
"""

from typing import Any

from eventsourcing.postgres import PostgresFactory

from infrastructure.storage.faults import LIBPQ_TIMEOUTS, RECONNECT_SECONDS


class PostgresStore(PostgresFactory):
    def __init__(self, env: Any) -> None:
        super().__init__(env)
        pool = self.datastore.pool
        assert isinstance(pool.kwargs, dict)
        pool.kwargs = {**pool.kwargs, **LIBPQ_TIMEOUTS}
        pool.reconnect_timeout = RECONNECT_SECONDS
