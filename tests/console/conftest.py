"""The demo database on each store, served by ``actiontrail serve`` as a process, with the
demo's governance user and a police user; and ``chromium``, a fresh window of the module's
Chromium for each test."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver

from infrastructure.config import Settings
from tests.conftest import STORES, drop_schema, make_settings, require_postgres
from tests.console.browser import Browser, chromium_driver, fresh_window
from tests.e2e.processes import cli_json, process_env, serving


@dataclass(frozen=True)
class Demo:
    store: str
    url: str
    governance: str
    police: str
    #: What ``actiontrail demo --json`` printed: its reports name the demo's ids.
    printed: dict[str, Any]
    #: The environment of a command line on the demo's database.
    env: dict[str, str]


#: ``chromium(base_url, shots, label)``: a fresh window of the module's Chromium (as a context).
Chromium = Callable[[str, Path, str], AbstractContextManager[Browser]]
#: The partnership the served demo names (``ACTIONTRAIL_PARTNERSHIP_NAME``).
PARTNERSHIP = "Northmoor Safeguarding Children Partnership"


@pytest.fixture(scope="module", params=STORES)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    store: str = request.param
    if store == "postgres":
        require_postgres()
    folder = tmp_path_factory.mktemp(f"demo-{store}")
    settings = make_settings(store, folder)
    env = process_env(settings)
    argv = ["demo"] if store == "postgres" else ["demo", "--file", str(folder / "demo.db")]
    try:
        printed = cli_json(env, *argv)
        env = process_env(
            Settings(database_url=printed["database_url"], database_schema=settings.database_schema)
        )
        police = cli_json(
            env,
            *("users", "add", "--name", "Pat Police", "--role", "agency", "--agency", "police"),
            token=printed["token"],
        )["token"]
        served = {**env, "ACTIONTRAIL_PARTNERSHIP_NAME": PARTNERSHIP}
        with serving(served, folder / "serve.log") as server:
            yield Demo(store, server.url, printed["token"], police, printed, env)
    finally:
        drop_schema(settings)


@pytest.fixture(scope="module")
def module_chromium() -> Iterator[webdriver.Chrome]:
    """One Chromium for a module's tests: starting one costs more than a test's pages."""
    with chromium_driver() as driver:
        yield driver


@pytest.fixture
def chromium(module_chromium: webdriver.Chrome) -> Chromium:

    @contextmanager
    def window(base_url: str, shots: Path, label: str) -> Iterator[Browser]:
        yield fresh_window(module_chromium, base_url, shots, label)

    return window
