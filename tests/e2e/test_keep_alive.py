"""Requests on one kept-alive connection to a real ``actiontrail serve`` answer without the
~40 ms stall of Nagle's algorithm meeting the client's delayed ACK.

The server writes a response in two parts (head, then body); with Nagle's algorithm on, the
body waits for the ACK of the head, which a client on a kept-alive connection delays by about
40 ms. Every request after the first then took 40 ms or more, whatever it did. The stall is
a floor, never noise: the fastest of several requests shows it. Each is compared with the
fastest of the same requests made each on a new connection (never stalled), in the same run, so
the assertion holds however loaded the machine is.
"""

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from infrastructure.cli.serve import listening_socket
from infrastructure.config import Settings
from tests.conftest import drop_schema, make_settings
from tests.e2e.processes import Server, add_user, process_env, serving
from tests.e2e.test_serve_process import CONCERN

#: Well under the ~40 ms of a delayed ACK: how much slower than a new connection the fastest
#: request on a kept-alive one may be.
STALL_MS = 25.0
REQUESTS = 10


@pytest.fixture
def running(store: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    settings: Settings = make_settings(store, tmp_path)
    env = process_env(settings)
    try:
        token = add_user(env, "Gill Governance", "governance")
        with serving(env, tmp_path / "serve.log") as server:
            yield server, token
    finally:
        drop_schema(settings)


def fastest_ms(
    request: Callable[[httpx.Client], httpx.Response], clients: Iterator[httpx.Client]
) -> float:
    """The fastest of ``REQUESTS`` requests, each on the next client ``clients`` gives."""
    times = []
    for _ in range(REQUESTS):
        client = next(clients)
        started = time.perf_counter()
        response = request(client)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 300, response.text
    return min(times)


def kept_alive(
    client: httpx.Client, request: Callable[[httpx.Client], httpx.Response]
) -> Iterator[httpx.Client]:
    request(client)  # opens the connection: the first request was never stalled
    while True:
        yield client


def new_connections(server: Server, token: str) -> Iterator[httpx.Client]:
    """A client of its own for each request: each on a new connection."""
    while True:
        with server.client(token) as client:
            yield client


def meeting(client: httpx.Client) -> httpx.Response:
    return client.post(
        "/meetings",
        json={
            "case_ref": "CASE-KA",
            "concern_raised_at": CONCERN,
            "kind": "child-protection",
            "team": "North",
        },
    )


def health(client: httpx.Client) -> httpx.Response:
    return client.get("/health")


@pytest.mark.parametrize("request_", [health, meeting], ids=["health", "command"])
def test_requests_on_one_kept_alive_connection_are_not_stalled(
    running: tuple[Server, str], request_: Callable[[httpx.Client], httpx.Response]
) -> None:
    server, token = running
    with server.client(token) as client:
        alive = fastest_ms(request_, kept_alive(client, request_))
    fresh = fastest_ms(request_, new_connections(server, token))
    assert alive < fresh + STALL_MS, (alive, fresh)


def test_the_listening_socket_says_tcp_so_connections_get_no_delay() -> None:
    """asyncio sets ``TCP_NODELAY`` only on sockets whose protocol is ``IPPROTO_TCP``."""
    with listening_socket("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
