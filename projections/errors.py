"""Errors of the read side."""


class ProjectionError(Exception):
    """A projection cannot go on: the runner stops before the event named in the message."""


class UndecodableEvent(ProjectionError):
    """An event of the log cannot be read (unknown topic, or state that does not decode)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


class PositionConflict(Exception):
    """Another runner moved a projection on while this one prepared a batch (it retries)."""


class ProjectionsBehind(Exception):
    """The projections did not reach the wanted position in time (read your writes)."""


class UnsealableText(ValueError):
    """A sealed read-model column holds text that the configured key cannot open."""


class UnknownProjection(KeyError):
    """No projection of that name."""


class NotFound(LookupError):
    """No read-model entry for that id."""


class ProjectionStalled(ProjectionError):
    """A projection a read needs is stalled before the position it would have to reach."""

    def __init__(self, stalls: dict[str, tuple[int, str]]) -> None:
        """``stalls``: name to (the position of the event it cannot apply, the error)."""
        super().__init__(
            "; ".join(
                f"the read model {name} is stalled at position {position} ({error})"
                for name, (position, error) in sorted(stalls.items())
            )
            + "; see `actiontrail projections status`, then `retry` or `skip`"
        )
