"""Where ``actiontrail demo`` may load the seed audit without destroying anybody's data.

A demo database carries a mark (the table ``actiontrail_demo``). On SQLite, demo replaces a file
only if it bears the mark (or is a demo of an earlier version, whose only governance user is
the demo's) and no process has it open; on PostgreSQL it loads into the configured schema only
when that schema holds no table at all.
"""

import fcntl
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import Column, DateTime, MetaData, Table, insert

from infrastructure.bootstrap import ensure_schema
from infrastructure.cli.output import CliError, ExitCode
from infrastructure.config import Settings
from infrastructure.storage.database import create_read_engine, postgres_conninfo

DEMO_USER = "Demo governance lead"

_metadata = MetaData()
demo_mark = Table("actiontrail_demo", _metadata, Column("created_at", DateTime(timezone=True)))

#: Offset of the byte of a WAL database's ``-shm`` file on which every connection holds a shared
#: lock while it has the database open (SQLite's unix VFS: ``UNIX_SHM_DMS``).
_SHM_DMS_BYTE = 128


def demo_settings(file: Path | None, configured: Settings) -> Settings:
    """Settings of a database ready for the demo, or a ``CliError`` saying why there is none.

    ``file`` given: that SQLite file. Otherwise the configured database, which every other
    command opens too (by default ``actiontrail.db`` in the working directory): a SQLite file,
    or a PostgreSQL schema.
    """
    if file is None and configured.store == "postgresql":
        _require_empty_schema(configured)
        return configured
    path = (file or configured.sqlite_path).absolute()
    if path.exists():
        _require_replaceable(path)
        for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
    return configured.model_copy(update={"database_url": f"sqlite:///{path}"})


def mark_as_demo(settings: Settings) -> None:
    engine = create_read_engine(settings)
    try:
        with engine.begin() as conn:
            _metadata.create_all(conn)
            conn.execute(insert(demo_mark).values(created_at=datetime.now(UTC)))
    finally:
        engine.dispose()


def _require_replaceable(path: Path) -> None:
    if not _is_demo_file(path):
        raise CliError(
            f"{path} exists and is not a demo database; demo replaces only its own files: "
            "choose another --file, or move that file away yourself",
            ExitCode.USAGE,
        )
    if _is_open_elsewhere(path):
        raise CliError(
            f"{path} is open in another process (a server or worker on it?); stop that "
            "process first, or choose another --file",
            ExitCode.USAGE,
        )


def _is_demo_file(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if demo_mark.name in tables:
                return True
            if "users" not in tables:
                return False
            governance = conn.execute(
                "SELECT name FROM users WHERE role = 'governance' ORDER BY created_at"
            ).fetchall()
            return governance == [(DEMO_USER,)]
    except sqlite3.DatabaseError:
        return False


def _is_open_elsewhere(path: Path) -> bool:
    """Whether another process has this WAL database open (it holds the ``-shm`` DMS lock)."""
    shm = path.with_name(path.name + "-shm")
    if not shm.exists():
        return False
    with shm.open("r+b") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
        except OSError:
            return True
        fcntl.lockf(handle, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
    return False


def _require_empty_schema(settings: Settings) -> None:
    ensure_schema(settings)
    with psycopg.connect(postgres_conninfo(settings)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "ORDER BY table_name",
                (settings.database_schema,),
            )
        ]
    if not tables:
        return
    what = "an earlier demo" if demo_mark.name in tables else f"tables ({', '.join(tables[:5])})"
    raise CliError(
        f"schema {settings.database_schema} already holds {what}; demo loads only into an "
        "empty schema: set ACTIONTRAIL_DATABASE_SCHEMA to a new one (e.g. demo), or drop that "
        "schema yourself",
        ExitCode.USAGE,
    )
