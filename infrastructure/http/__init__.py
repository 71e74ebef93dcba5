"""The HTTP API (FastAPI): its routes and problem details, installed on the app by
``api.install_api``; the app itself is ``infrastructure.web.app.create_app``."""
