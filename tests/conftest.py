"""Fixtures shared by every test: each storage test runs on SQLite and on PostgreSQL.

``app`` is the application on both stores; ``tests/core`` makes it the in-memory application for
its rule tests, whose tests of storage ask for ``stored_app``.

PostgreSQL tests get a schema of their own, dropped afterwards, so runs never see each other's
data. Without a reachable server they skip, except under ``CI=true``, where they fail.

Test data need not outlive the machine: PostgreSQL sessions the tests open (here and in the
processes they start) commit without waiting for the disk (``synchronous_commit=off`` through
``PGOPTIONS``; a server crash could lose the last commits, never half of one), and temporary
files, SQLite's among them, live in memory (``/dev/shm``) where the machine has it writable.
"""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from _pytest.nodeid import NodeId
from psycopg.sql import SQL, Identifier

from application.service import ActionTrail
from domain.codes import Role
from domain.values import Actor
from infrastructure.bootstrap import build_application
from infrastructure.config import Settings
from infrastructure.storage.database import postgres_conninfo
from tests.catalog_vacuum import CatalogVacuum

POSTGRES_URL = os.environ.get(
    "ACTIONTRAIL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
#: The prefix of this run's schemas: the run's id and the xdist worker (``gw0``; serially ``main``).
RUN_ID = "_".join(
    (
        os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:8],
        os.environ.get("PYTEST_XDIST_WORKER", "main"),
    )
)
STORES = ["sqlite", "postgres"]
#: Where ``tmp_path`` and ``fresh_application`` put their files: tmpfs, where a commit's fsync
#: costs nothing, unless the environment chose a place (``PYTEST_DEBUG_TEMPROOT``) or has none.
TEMP_ROOT = os.environ.get("PYTEST_DEBUG_TEMPROOT") or (
    "/dev/shm" if os.access("/dev/shm", os.W_OK | os.X_OK) else None
)
if TEMP_ROOT:
    os.environ["PYTEST_DEBUG_TEMPROOT"] = TEMP_ROOT
#: Set by the tests, not by the application: production commits stay durable.
#: How long a test's process waits for a PostgreSQL connection: a loaded test machine has taken
#: more than the default 2 s to hand a new pool its first one. ``tests/faults`` times the
#: default's answers to an outage, and sets it back.
TEST_DATABASE_WAIT_SECONDS = "15"
os.environ.setdefault("ACTIONTRAIL_DATABASE_WAIT_SECONDS", TEST_DATABASE_WAIT_SECONDS)
TEST_PGOPTIONS = "-c synchronous_commit=off"
if TEST_PGOPTIONS not in os.environ.get("PGOPTIONS", ""):
    os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} {TEST_PGOPTIONS}".strip()
#: Test files whose longest test takes longest (``--durations``), longest first: in parallel they
#: start first, so that no long test is left running alone at the end of a run. Modules that are
#: an ``xdist_group`` (the browser tests) are not listed: pytest-xdist starts groups first.
SLOWEST_FILES = (
    "tests/api/test_fuzz.py",
    "tests/e2e/test_interrupted.py",
    "tests/e2e/test_import_killed.py",
    "tests/e2e/test_one_log.py",
    "tests/e2e/test_serve_killed.py",
    "tests/integrity/test_chain.py",
    "tests/core/test_large_writes.py",
    "tests/core/test_recorders.py",
    "tests/projections/test_sealing.py",
    "tests/e2e/test_serve_workers.py",
    "tests/cli/test_reading_cli.py",
    "tests/e2e/test_throttling_workers.py",
    "tests/e2e/test_serve_checkpoints.py",
    "tests/e2e/test_serve_process.py",
    "tests/faults/test_demo_safety.py",
    "tests/test_benchmark_log.py",
    "tests/cli/test_queue_cli.py",
    "tests/e2e/test_keep_alive.py",
    "tests/cli/test_as_of_cli.py",
    "tests/faults/test_http_outage.py",
    "tests/cli/test_safe_csv_cli.py",
    "tests/cli/test_verify_cli.py",
    "tests/projections/test_attendance_compliance.py",
    "tests/oracle/test_oracle.py",
    "tests/faults/test_cli_faults.py",
    "tests/projections/test_reports_in_sql.py",
    "tests/oracle/test_states_as_the_handbook_says.py",
)

_postgres_checked: str | None = None


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject.toml's default): no workers, the tests run in this process, when
    they are all in one file, as starting workers would cost more than it saves; else None:
    pytest-xdist's own choice, a worker a core. ``-n 2`` runs one file in parallel all the same."""
    files = {arg.split("::", 1)[0] for arg in config.args}
    if len(files) == 1 and files.pop().endswith(".py"):
        return 0
    return None


def slowest_first(items: list[pytest.Item], root: Path) -> list[pytest.Item]:
    """The items of ``SLOWEST_FILES`` first, in its order, then the rest; each file's items in
    the order collected, so a module's fixtures are still set up once."""
    rank = {name: n for n, name in enumerate(SLOWEST_FILES)}

    def key(item: pytest.Item) -> int:
        return rank.get(item.path.relative_to(root).as_posix(), len(rank))

    return sorted(items, key=key)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In parallel (an xdist worker collects), the slowest files first: pytest-xdist hands out
    tests in collection order (``--dist loadgroup``; each xdist_group, larger, goes first)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items[:] = slowest_first(items, config.rootpath)
        if config.getvalue("loadgroup"):
            for item in items:
                name_group(item)


def name_group(item: pytest.Item) -> None:
    """End the item's id with ``@GROUP`` for its ``xdist_group`` mark, which is how
    ``--dist loadgroup`` sends a group to one worker. pytest-xdist 3.8 sets ``item._nodeid``,
    which pytest 9.2 no longer reads (ids are ``item._id``): without this, a group's tests are
    spread over the workers and each builds the group's module-scoped fixtures again."""
    groups = sorted(
        {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
    )
    suffix = "@" + "_".join(groups)
    if groups and not item.nodeid.endswith(suffix):
        item._id = NodeId.parse(item.nodeid + suffix)  # type: ignore[attr-defined]


_catalog_vacuum: CatalogVacuum | None = None


def pytest_sessionstart(session: pytest.Session) -> None:
    """In the run's first process (not an xdist worker), vacuum the test database's catalogs
    while the tests run (``tests.catalog_vacuum``), when PostgreSQL answers."""
    global _catalog_vacuum
    if os.environ.get("PYTEST_XDIST_WORKER") or _postgres_problem() is not None:
        return
    _catalog_vacuum = CatalogVacuum(postgres_conninfo(Settings(database_url=POSTGRES_URL)))
    _catalog_vacuum.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _catalog_vacuum is not None:
        _catalog_vacuum.stop()


def _postgres_problem() -> str | None:
    """None when PostgreSQL answers, else why not (checked once per run)."""
    global _postgres_checked
    if _postgres_checked is None:
        try:
            conninfo = postgres_conninfo(Settings(database_url=POSTGRES_URL))
            with psycopg.connect(conninfo, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _postgres_checked = ""
        except psycopg.OperationalError as error:
            _postgres_checked = f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}"
    return _postgres_checked or None


def require_postgres() -> None:
    problem = _postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run)")
    pytest.skip(problem)


def make_settings(store: str, tmp_path: "os.PathLike[str]", **overrides: object) -> Settings:
    if store == "sqlite":
        return Settings(database_url=f"sqlite:///{tmp_path}/actiontrail.db", **overrides)  # type: ignore[arg-type]
    require_postgres()
    return Settings(database_url=POSTGRES_URL, database_schema=new_schema(), **overrides)  # type: ignore[arg-type]


def new_schema() -> str:
    """A PostgreSQL schema name no other test, worker or run uses."""
    return f"t_{RUN_ID}_{uuid.uuid4().hex[:10]}"


def drop_schema(settings: Settings) -> None:
    if settings.store != "postgresql":
        return
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        conn.execute(
            SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(settings.database_schema))
        )


@contextmanager
def fresh_application(store: str) -> Iterator[tuple[Settings, ActionTrail]]:
    """The application on a new, empty store of its own, closed and dropped on exit: for tests
    that need one per Hypothesis example, where function-scoped fixtures would be shared."""
    with tempfile.TemporaryDirectory(dir=TEMP_ROOT) as directory:
        settings = make_settings(store, directory)
        application = build_application(settings)
        try:
            yield settings, application
        finally:
            application.close()
            drop_schema(settings)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(store: str, tmp_path: "os.PathLike[str]") -> Iterator[Settings]:
    settings = make_settings(store, tmp_path)
    yield settings
    drop_schema(settings)


@pytest.fixture
def stored_app(settings: Settings) -> Iterator[ActionTrail]:
    """The application on the test store (SQLite, then PostgreSQL)."""
    application = build_application(settings)
    yield application
    application.close()


@pytest.fixture
def app(stored_app: ActionTrail) -> ActionTrail:
    return stored_app


@pytest.fixture
def governance() -> Actor:
    return Actor("u-governance", Role.GOVERNANCE)


@pytest.fixture
def inspector() -> Actor:
    return Actor("u-inspector", Role.INSPECTOR)


@pytest.fixture
def reporting() -> Actor:
    return Actor("u-reporting", Role.REPORTING)


@pytest.fixture
def health_lead() -> Actor:
    return Actor("u-health", Role.AGENCY, "health")


@pytest.fixture
def police_lead() -> Actor:
    return Actor("u-police", Role.AGENCY, "police")
