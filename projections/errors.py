"""Errors of the read side."""


class ProjectionError(Exception):
    """A projection cannot go on: the runner stops before the event named in the message."""


class UndecodableEvent(ProjectionError):
    """An event of the log cannot be read (unknown topic, or state that does not decode)."""


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
