"""The HTTP API (FastAPI), served by ``actiontrail serve``."""

from infrastructure.http.app import create_app, create_worker_app

__all__ = ["create_app", "create_worker_app"]
