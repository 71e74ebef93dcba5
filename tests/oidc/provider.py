"""A real OpenID Connect provider for the sign-in tests: ``oidc-provider`` from the npm
registry (pinned in ``package-lock.json``), run by the machine's Node.js (``provider.mjs``).

``npm ci`` installs it into ``tests/oidc/node_modules`` on first use. Without Node.js the tests
skip locally and fail under ``CI=true``.
"""

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.e2e.processes import free_port

FOLDER = Path(__file__).parent
CLIENT_ID = "actiontrail"
CLIENT_SECRET = "tests-only-secret"
STARTUP_SECONDS = 30


def require_node() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node
    message = "Node.js and npm are needed for the single sign-on tests (apt-get install nodejs npm)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def install() -> None:
    """``npm ci`` from the lock file, once (the registry is reachable; nothing else is)."""
    if (FOLDER / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=FOLDER,
        check=True,
        timeout=600,
    )


@dataclass(frozen=True)
class Provider:
    issuer: str

    def settings(self, name: str = "tenant") -> dict[str, str]:
        """The provider as an entry of ``ACTIONTRAIL_OIDC_PROVIDERS``."""
        return {
            "name": name,
            "title": "Test tenant",
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }


@contextmanager
def running_provider(redirect_uris: Sequence[str], log: Path) -> Iterator[Provider]:
    """The provider on a free port of loopback, knowing actiontrail's ``redirect_uris``."""
    node = require_node()
    install()
    port = free_port()
    clients = [
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": list(redirect_uris),
        }
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [node, str(FOLDER / "provider.mjs"), str(port), json.dumps(clients)],
            cwd=FOLDER,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail(f"the OpenID provider did not start:\n{log.read_text(errors='replace')}")
        yield Provider(issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)


_FORM = re.compile(r'<form[^>]*action="([^"]+)"')


def log_in(authorization_url: str, login: str) -> str:
    """Sign in at the provider as ``login`` (its development login form, as a person would
    fill it in); answers where the provider sends the browser back (the callback URL)."""
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        answer = browser.get(authorization_url)
        while answer.status_code in (302, 303) and "/interaction/" in answer.headers["location"]:
            answer = browser.get(urljoin(str(answer.url), answer.headers["location"]))
        form = _FORM.search(answer.text)
        assert form, answer.text
        answer = browser.post(
            urljoin(str(answer.url), unescape(form.group(1))),
            data={"login": login, "password": "any"},
        )
        provider = urlsplit(authorization_url).netloc
        while answer.status_code in (302, 303):
            location = urljoin(str(answer.url), answer.headers["location"])
            if urlsplit(location).netloc != provider:
                return location
            answer = browser.get(location)
        raise AssertionError(f"the provider did not send the browser back: {answer.text[:500]}")
