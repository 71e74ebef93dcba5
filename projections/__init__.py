"""The read side: SQL read models projected from the event log, and the queries over them.

``ProjectionRunner`` keeps the tables of ``projections.tables`` in step with the log, exactly
once; ``ReadService`` answers the reports. Neither knows how the application or the database is
configured: ``infrastructure.read_side`` builds them from settings.
"""

from projections.runner import ProjectionRunner, all_projections
from projections.service import ReadService
from projections.standards import Standards

__all__ = ["ProjectionRunner", "ReadService", "Standards", "all_projections"]
