"""What signing in costs: token sign-in and single sign-on latency, and the session check
each console request pays, beside the same kind of request without it, in one run.

In-process (FastAPI's TestClient over https://localhost, no network but to the OpenID
provider of ``tests/oidc``, started on loopback), on a new database of the chosen store:

- token sign-in: the sign-in form fetched and posted (CSRF token, throttle check, token check,
  a session written, the sign-in recorded), ``--times`` times;
- single sign-on: the callback only (state used, code exchanged at the provider, ID token and
  UserInfo checked, user matched, session written), and the whole round trip through the
  provider's login form, ``--sso-times`` times;
- the session check: two console routes added for the run, rendering the same small page,
  one with the console's session dependency (``SignedIn``) and one without; and
  ``Sessions.current`` itself, called directly.

Usage: ``.venv/bin/python -m benchmarks.signin [--store postgresql] [--times 200]``.
"""

import argparse
import os
import re
import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

from infrastructure.bootstrap import build_services
from infrastructure.config import Settings
from infrastructure.console.rendering import ConsoleRoute, render
from infrastructure.console.security import COOKIE
from infrastructure.console.session import SignedIn
from infrastructure.signin.settings import OidcProvider
from infrastructure.web.app import create_app
from tests.oidc.provider import log_in, running_provider

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE_URL = "https://localhost"
CALLBACK = f"{BASE_URL}/console/sign-in/oidc/tenant/callback"
POSTGRES_URL = os.environ.get(
    "ACTIONTRAIL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(client: TestClient, token: str) -> str:
    """Through the form, as a browser does: the session cookie's value."""
    client.cookies.clear()
    form = client.get("/console/sign-in")
    found = _CSRF.search(form.text)
    assert found
    answer = client.post(
        "/console/sign-in",
        data={"token": token, "csrf_token": found.group(1)},
        headers={"Origin": BASE_URL},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    secret = answer.cookies[COOKIE]
    client.cookies.clear()
    return str(secret)


TWINS = "/console/benchmark"


def add_twin_pages(client: TestClient) -> None:
    """Two routes rendering the same page, one behind the session check, put before the
    console's catch-all 404 route."""
    router = APIRouter(route_class=ConsoleRoute)

    def page(request: Request) -> HTMLResponse:
        return render(request, "error.html", None, title="Benchmark", detail="A small page.")

    def signed(request: Request, user: SignedIn) -> HTMLResponse:
        return page(request)

    router.add_api_route(f"{TWINS}/plain", page, methods=["GET"])
    router.add_api_route(f"{TWINS}/signed", signed, methods=["GET"])
    app: FastAPI = client.app  # type: ignore[assignment]
    app.router.routes[0:0] = router.routes


def timed(times: int, run: Callable[[], object]) -> list[float]:
    run()  # warm-up
    took = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        took.append((time.perf_counter() - start) * 1000)
    return took


def paired(
    times: int, first: Callable[[], object], second: Callable[[], object]
) -> tuple[list[float], list[float]]:
    """Both timed in turn, so that the machine's load weighs on each alike."""
    firsts: list[float] = []
    seconds: list[float] = []
    first()
    second()
    for _ in range(times):
        for run, took in ((first, firsts), (second, seconds)):
            start = time.perf_counter()
            run()
            took.append((time.perf_counter() - start) * 1000)
    return firsts, seconds


def row(name: str, took: list[float]) -> None:
    print(f"| {name} | {len(took)} | {statistics.median(took):.2f} | {max(took):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--times", type=int, default=200)
    parser.add_argument("--sso-times", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="signin-bench-"))
    with running_provider([CALLBACK], folder / "oidc.log") as provider:
        chosen = OidcProvider.model_validate(provider.settings())
        if args.store == "sqlite":
            settings = Settings(
                database_url=f"sqlite:///{folder}/bench.db",
                base_url=BASE_URL,
                oidc_providers=[chosen],
            )
        else:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            settings = Settings(
                database_url=POSTGRES_URL,
                database_schema=schema,
                base_url=BASE_URL,
                oidc_providers=[chosen],
            )
        with build_services(settings) as services:
            users = services.users
            token = users.add(name="Gill", role="governance", agency=None, created_by=None).token
            users.add(
                name="Nurse",
                role="inspector",
                agency=None,
                created_by=None,
                email="nurse@health.example",
            )
        with TestClient(create_app(settings), base_url=BASE_URL) as client:
            print(f"Sign-in on {args.store}, in-process, milliseconds")
            print("| what | requests | median | slowest |")
            print("|---|---:|---:|---:|")
            row(
                "token sign-in (form fetched and posted)",
                timed(args.times, lambda: sign_in(client, token)),
            )

            callbacks: list[float] = []

            def single_sign_on() -> None:
                client.cookies.clear()
                started = client.get("/console/sign-in/oidc/tenant", follow_redirects=False)
                back = urlsplit(log_in(started.headers["location"], "nurse@health.example"))
                begin = time.perf_counter()
                answer = client.get(f"{back.path}?{back.query}", follow_redirects=False)
                callbacks.append((time.perf_counter() - begin) * 1000)
                assert answer.status_code == 200, answer.text

            round_trips = timed(args.sso_times, single_sign_on)
            row("single sign-on: the callback (code exchange, ID token, UserInfo)", callbacks[1:])
            row("single sign-on: the whole round trip via the provider's form", round_trips)

            secret = sign_in(client, token)
            cookie = {"Cookie": f"{COOKIE}={secret}"}
            add_twin_pages(client)
            without, with_check = paired(
                args.times,
                lambda: client.get(f"{TWINS}/plain", headers=cookie),
                lambda: client.get(f"{TWINS}/signed", headers=cookie),
            )
            row("a console page, no session check", without)
            row("the same page behind the session check", with_check)
            sessions = client.app.state.services.signin.sessions  # type: ignore[attr-defined]
            row(
                "the session check alone (Sessions.current)",
                timed(args.times, lambda: sessions.current(secret)),
            )
            added = statistics.median(with_check) - statistics.median(without)
            pairs = statistics.median(b - a for a, b in zip(without, with_check, strict=True))
            print(
                f"The session check adds {added:.2f} ms per request (median against median; "
                f"{pairs:.2f} ms as the median of the {len(without)} paired differences)"
            )


if __name__ == "__main__":
    main()
