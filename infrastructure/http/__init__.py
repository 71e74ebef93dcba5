"""The HTTP API (FastAPI), served by ``actiontrail serve``."""

from infrastructure.http.app import create_app

__all__ = ["create_app"]
