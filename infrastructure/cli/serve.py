"""``actiontrail serve``: the HTTP API, with the projections running in the same process."""

import argparse

import uvicorn

from infrastructure.bootstrap import ensure_schema, refuse_foreign_logs
from infrastructure.cli.context import load_settings
from infrastructure.http import create_app


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "serve",
        help="serve the HTTP API until interrupted",
        description="Serve the HTTP API on the database of ACTIONTRAIL_DATABASE_URL, with the "
        "projections running in-process. /health answers once the server is ready.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    parser.set_defaults(run=serve)


def serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    ensure_schema(settings)
    refuse_foreign_logs(settings)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    return 0
