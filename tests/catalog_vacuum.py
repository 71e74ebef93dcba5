"""The test database's system catalogs kept vacuumed while the suite runs.

Every PostgreSQL test makes a schema of tables and drops it: hundreds of thousands of dead
catalog rows a run. Where autovacuum is off (as on the CI machine's server) nothing reclaims
them: ``pg_attribute`` reached 263 MB for 3,700 live rows, a catalog query took 100 ms instead
of 0.5 ms, and a new connection (which reads the catalogs when it starts) could take seconds.
The suite's first process vacuums the catalogs as it starts, then every ``EVERY_SECONDS``.
"""

import logging
import threading

import psycopg

log = logging.getLogger(__name__)

#: The catalogs that making and dropping schemas of tables, indexes and types leaves dead rows in.
CATALOGS = (
    "pg_attribute",
    "pg_class",
    "pg_type",
    "pg_depend",
    "pg_index",
    "pg_constraint",
    "pg_attrdef",
    "pg_namespace",
    "pg_statistic",
    "pg_statistic_ext",
    "pg_sequence",
    "pg_description",
    "pg_init_privs",
    "pg_shdepend",
    "pg_proc",
)
EVERY_SECONDS = 20.0


class CatalogVacuum:
    """A thread that vacuums the catalogs of the database at ``conninfo`` at once, then every
    ``EVERY_SECONDS`` until ``stop``."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="catalog-vacuum", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(60)

    def _run(self) -> None:
        statement = "VACUUM " + ", ".join(f"pg_catalog.{name}" for name in CATALOGS)
        while True:
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(statement)
            except psycopg.Error as error:
                log.warning("catalog vacuum: %s", error)
            if self._stopping.wait(EVERY_SECONDS):
                return
