"""Errors of the application layer; domain rule errors live in ``domain.errors``."""

from uuid import UUID

from domain.text import quoted


class ApplicationError(Exception):
    title = "Request failed"


class NotFound(ApplicationError):
    title = "Not found"

    def __init__(self, kind: str, aggregate_id: UUID | str) -> None:
        super().__init__(f"no {kind} with id {aggregate_id}")
        self.kind = kind
        self.aggregate_id = aggregate_id


class NotThen(NotFound):
    """The record exists, but not at the point in time asked for: ``reason`` says why (it
    began after the day asked for, or was first recorded after the time)."""

    def __init__(self, kind: str, aggregate_id: UUID | str, reason: str) -> None:
        super().__init__(kind, aggregate_id)
        self.args = (reason,)


class Unauthenticated(ApplicationError):
    """No token, or one that does not work (unknown, revoked, expired)."""

    title = "Authentication required"


class Forbidden(ApplicationError):
    title = "Forbidden"


class VersionConflict(ApplicationError):
    """The aggregate moved on since the version the caller expected."""

    title = "Version conflict"

    def __init__(self, aggregate_id: UUID, expected: int | None, current: int) -> None:
        expectation = f"expected version {expected}" if expected is not None else "a stale read"
        super().__init__(
            f"{aggregate_id} is at version {current}, but the command was based on {expectation}"
        )
        self.aggregate_id = aggregate_id
        self.expected = expected
        self.current = current


class ConcurrentWrites(ApplicationError):
    title = "Too many concurrent writes"


class KeyReused(ApplicationError):
    """A command key (``Idempotency-Key``) sent again with another request."""

    title = "Idempotency key reused"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"the key {quoted(key)} was first used for a different request (another path or "
            "another body); nothing was written. Send a new key for a new request"
        )
        self.key = key
