"""The suite's catalog vacuum (``tests.catalog_vacuum``) vacuums the test database's catalogs."""

from datetime import datetime

import psycopg

from infrastructure.config import Settings
from infrastructure.storage.database import postgres_conninfo
from tests.catalog_vacuum import CATALOGS, CatalogVacuum
from tests.conftest import POSTGRES_URL, require_postgres

LAST_VACUUM = "SELECT relname, last_vacuum FROM pg_stat_sys_tables WHERE relname = ANY(%s)"


def test_each_catalog_is_vacuumed_once_it_starts() -> None:
    require_postgres()
    conninfo = postgres_conninfo(Settings(database_url=POSTGRES_URL))
    with psycopg.connect(conninfo) as conn:
        started: datetime = conn.execute("SELECT now()").fetchone()[0]  # type: ignore[index]

    vacuum = CatalogVacuum(conninfo)
    vacuum.start()
    vacuum.stop()

    with psycopg.connect(conninfo) as conn:
        last = dict(conn.execute(LAST_VACUUM, (list(CATALOGS),)).fetchall())
    assert set(last) == set(CATALOGS)
    assert all(at is not None and at >= started for at in last.values()), last
