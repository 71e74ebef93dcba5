"""The demo database on each store, served by ``actiontrail serve`` as a process, with the
demo's governance user and a police user."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from infrastructure.config import Settings
from tests.conftest import STORES, drop_schema, make_settings, require_postgres
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
