"""SQLAlchemy engines for the read side, on the same database (and schema) as the events."""

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from infrastructure.config import Settings


def sqlalchemy_url(settings: Settings) -> URL:
    url = settings.url
    if settings.store == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    return url


def create_read_engine(settings: Settings, **options: Any) -> Engine:
    """An engine whose unqualified tables live beside the events.

    PostgreSQL: tables without a schema are mapped to the configured schema. SQLite: WAL mode
    (as the event recorder uses) and a busy timeout, so readers and the writer do not block; and
    ``synchronous=NORMAL`` for the read models only: in WAL mode a power cut can then lose the
    last commits but never corrupts the file, and a lost projection commit takes its rows and
    its position together, so the runner simply applies those events again. The event log's
    own connections keep the library's settings.
    """
    if settings.store == "postgresql":
        engine = create_engine(sqlalchemy_url(settings), pool_pre_ping=True, **options)
        return engine.execution_options(schema_translate_map={None: settings.database_schema})
    engine = create_engine(sqlalchemy_url(settings), connect_args={"timeout": 30}, **options)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine
