"""The projection runner: catches up from stored positions, then follows the log.

Exactly once: a batch's read-model rows and the projections' new positions are written in one
transaction, and the transaction starts by moving each position from the value the batch was
prepared for (compare and set). A crash anywhere rolls the whole batch back; a second runner on
the same database (the server and a worker) loses the compare and set and re-reads instead of
applying a batch twice.

A projection that cannot apply an event (the database refuses a value, a projector fails, the
event cannot be decoded) stalls just before it, visibly (``projections.stalls``): when a batch
fails, it is applied again to each projection alone, in ever smaller parts, to find the one
event; the other projections carry on. A stalled projection is tried again when an operator
asks (``retry``) and once each time the follow loop starts, never in a loop; it passes the event
only by applying it or by a skip recorded in the log (``domain.projection_skip``), so the read
models never silently disagree with the log. Failures of the database connection stall nothing:
the follow loop backs off and tries again.

The modules: ``settings`` (``RunnerSettings``), ``schema`` (tables, indexes, the planner's
statistics), ``positions`` (positions and stalls), ``decoding``, ``batches`` (applying a batch,
stalls), ``following`` (the follow thread, read-your-writes waits) and ``runner``
(``ProjectionRunner``, which puts them together: catching up, retries, rebuilds).
"""

from projections.runner.runner import ProjectionRunner, all_projections
from projections.runner.settings import Decode, EventClass, Progress, RunnerSettings

__all__ = [
    "Decode",
    "EventClass",
    "Progress",
    "ProjectionRunner",
    "RunnerSettings",
    "all_projections",
]
