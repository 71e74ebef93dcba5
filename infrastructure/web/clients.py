"""Who is asking, as the sign-in service records it."""

from fastapi import Request

from infrastructure.signin.service import Client


def client_of(request: Request) -> Client:
    """The client's address (behind a proxy: as the proxy says, see docs/security.md)."""
    address = request.client.host if request.client else None
    return Client(address, request.headers.get("user-agent"))
