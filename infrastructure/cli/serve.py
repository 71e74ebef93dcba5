"""``actiontrail serve``: the HTTP API, with the projections running in the same process.

Before the app starts, the port is bound (so a port in use is one line and its own exit code,
not a traceback after "startup complete") and the database is opened and named.

With ``--workers N`` above 1, uvicorn's own supervisor (``Multiprocess``) spawns N processes
sharing that socket; each builds its own app (an import string and ``factory=True``) from the
same ``ACTIONTRAIL_*`` environment, and runs its own projection runner. A worker stops when its
supervisor is gone, even killed outright (``supervisor_watch``), rather than serve on as an orphan.

Once ready (every worker, with several), ``serve`` says where on standard error, in one line.
"""

import argparse
import errno
import multiprocessing
import signal
import socket
from collections.abc import Callable
from functools import partial

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import SIGNALS

from domain.text import quoted
from infrastructure.bootstrap import ensure_schema
from infrastructure.cli.context import load_settings
from infrastructure.cli.output import CliError, ExitCode, errors, say
from infrastructure.cli.supervisor_watch import stop_with_supervisor
from infrastructure.config import Settings
from infrastructure.integrity.keys import load_signer, trusted_keys
from infrastructure.storage.faults import describe_database
from infrastructure.web.app import create_app


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "serve",
        description="Serve the HTTP API on the database of ACTIONTRAIL_DATABASE_URL, with the "
        "projections running in-process. /health answers once the server is ready. A SQLite "
        "file that does not exist yet is created (and said so).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    parser.add_argument(
        "--workers",
        type=worker_count,
        default=None,
        help="server processes, each with its own projection runner (default: "
        f"{DEFAULT_WORKERS['postgresql']} on PostgreSQL, {DEFAULT_WORKERS['sqlite']} on SQLite; "
        "SQLite refuses more than 1: it has one writer)",
    )
    parser.set_defaults(run=serve)


#: ``--workers`` left out. SQLite has one writer: more processes only contend for it.
DEFAULT_WORKERS = {"postgresql": 2, "sqlite": 1}
#: What each worker imports and calls to build its app (settings from the environment).
APP_FACTORY = "infrastructure.cli.serve:worker_app"
#: The console's and the API documentation's paths, said at start-up (a test asks for both).
CONSOLE_PATH = "/console"
DOCS_PATH = "/docs"


def worker_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {quoted(text)}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {count}")
    return count


def serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    workers = args.workers or DEFAULT_WORKERS[settings.store]
    if settings.store == "sqlite" and workers > 1:
        raise CliError(
            f"--workers {workers}: SQLite has one writer, so serve runs one process on it; "
            "use PostgreSQL for more",
            ExitCode.USAGE,
        )
    stop_on_interrupt()
    with listening_socket(args.host, args.port) as sock:
        say(f"Database: {open_database(settings)}")
        ready = partial(announce, served_url(args.host, sock), workers)
        say(f"Checkpoints: {checkpoint_signing(settings)}")
        if workers == 1:
            server = Server(
                uvicorn.Config(create_app(settings), log_level=args.log_level, host=args.host),
                ready,
            )
            server.run(sockets=[sock])
            started = server.started
        else:
            started = run_workers(workers, sock, args.host, args.log_level, ready)
    if not started:
        raise CliError("the server did not start; see the log above", ExitCode.FAILED)
    return 0


def stop_on_interrupt() -> None:
    """Stop on Ctrl-C (SIGINT) even when started with it ignored, as a script's background job
    is: uvicorn stops on it anyway, and ``serve`` then ends as interrupted (130), never 0."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def served_url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]  # the port bound, also for --port 0
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def announce(url: str, workers: int) -> None:
    processes = "1 worker" if workers == 1 else f"{workers} workers"
    errors.print(
        f"actiontrail serving {url} (console: {url}{CONSOLE_PATH}, API docs: {url}{DOCS_PATH}), "
        f"{processes}; Ctrl-C to stop",
        highlight=False,
        markup=False,
    )


def worker_app() -> FastAPI:
    """One worker's app (uvicorn calls this in the worker), which stops with its supervisor."""
    supervisor = multiprocessing.parent_process()
    if supervisor is not None and supervisor.pid is not None:
        stop_with_supervisor(supervisor.pid)
    return create_app()


class Server(uvicorn.Server):
    """uvicorn's server, calling ``ready`` once it serves."""

    def __init__(self, config: uvicorn.Config, ready: Callable[[], None]) -> None:
        super().__init__(config)
        self.ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self.ready()


def run_workers(
    workers: int, sock: socket.socket, host: str, log_level: str, ready: Callable[[], None]
) -> bool:
    """Serve with ``workers`` processes until interrupted; False when one could not start.

    Each worker is spawned (a fresh interpreter), so its settings come from the environment,
    which it inherits: the same ``ACTIONTRAIL_*`` variables this process read. SIGINT or SIGTERM
    stops them all; a worker that fails before serving stops the supervisor (uvicorn's own rule).
    """
    config = uvicorn.Config(
        APP_FACTORY, factory=True, workers=workers, log_level=log_level, host=host
    )
    handlers = {sig: signal.getsignal(sig) for sig in SIGNALS}
    supervisor = Supervisor(config, sockets=[sock], ready=ready)
    try:
        supervisor.run()
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    # As one uvicorn server does once stopped: the signal again, to its usual handler (Ctrl-C:
    # KeyboardInterrupt, exit 130; SIGTERM: ended by it).
    for sig in supervisor.stopped_by:
        signal.raise_signal(sig)
    return not any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes)


class Supervisor(Multiprocess):
    """uvicorn's supervisor, remembering the signals that stopped it and calling ``ready`` once
    every worker serves."""

    def __init__(
        self, config: uvicorn.Config, sockets: list[socket.socket], ready: Callable[[], None]
    ) -> None:
        super().__init__(config, sockets)
        self.stopped_by: list[signal.Signals] = []
        self.ready: Callable[[], None] | None = ready

    def keep_subprocess_alive(self) -> None:
        super().keep_subprocess_alive()
        if self.ready is None or self.should_exit.is_set():
            return
        timeout = self.config.timeout_worker_healthcheck
        if all(process.is_ready(timeout) for process in self.processes):
            self.ready()
            self.ready = None

    def handle_int(self) -> None:
        self.stopped_by.append(signal.SIGINT)
        super().handle_int()

    def handle_term(self) -> None:
        self.stopped_by.append(signal.SIGTERM)
        super().handle_term()


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``, or a ``CliError`` that says why it cannot be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not the default 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    # connections whose socket says TCP. With it on, a response written in two parts (head, then
    # body) waits for the client's delayed ACK: about 40 ms on every kept-alive request.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise CliError(
                f"port {port} on {host} is in use; choose another with --port",
                ExitCode.PORT_IN_USE,
            ) from None
        raise CliError(
            f"cannot listen on {host}:{port}: {error.strerror}", ExitCode.USAGE
        ) from None
    sock.set_inheritable(True)
    return sock


def checkpoint_signing(settings: Settings) -> str:
    """How the log's checkpoints will be signed (a key that cannot be read, or a file of
    trusted public keys: ``ConfigurationError``, before anything starts)."""
    signer = load_signer(settings)
    trusted_keys(settings, signer, None)
    if signer is None:
        return "UNSIGNED: no signing key (ACTIONTRAIL_SIGNING_KEY_FILE); see docs/integrity.md"
    return f"signed with key {signer.key_id}"


def open_database(settings: Settings) -> str:
    """Reach the database before serving (an unreachable one fails here); say which it is."""
    described = describe_database(settings)
    if settings.store == "postgresql":
        ensure_schema(settings)
        return described
    if settings.sqlite_path.exists():
        return described
    return f"{described} (it did not exist: created, empty)"
