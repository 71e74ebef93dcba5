"""``actiontrail serve``: the HTTP API, with the projections running in the same process.

Before the app starts, the port is bound (so a port in use is one line and its own exit code,
not a traceback after "startup complete") and the database is opened and named.
"""

import argparse
import errno
import socket

import uvicorn

from infrastructure.bootstrap import ensure_schema
from infrastructure.cli.context import load_settings
from infrastructure.cli.output import CliError, ExitCode, say
from infrastructure.config import Settings
from infrastructure.database_faults import describe_database
from infrastructure.http import create_app


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
    parser.set_defaults(run=serve)


def serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    with listening_socket(args.host, args.port) as sock:
        say(f"Database: {open_database(settings)}")
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), log_level=args.log_level, host=args.host)
        )
        server.run(sockets=[sock])
    if not server.started:
        raise CliError("the server did not start; see the log above", ExitCode.FAILED)
    return 0


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


def open_database(settings: Settings) -> str:
    """Reach the database before serving (an unreachable one fails here); say which it is."""
    described = describe_database(settings)
    if settings.store == "postgresql":
        ensure_schema(settings)
        return described
    if settings.sqlite_path.exists():
        return described
    return f"{described} (it did not exist: created, empty)"
