"""The fast paths, behind one switch: ``ACTIONTRAIL_FAST_PATHS`` (``Settings.fast_paths``).

Everything here touches the library's internals or a database driver, to do what a plain part
does with less Python per event; a rebuild reads, decodes and writes every event of the log:

- ``decoding.FastDecoder`` for the library's ``mapper.to_domain_event``;
- the recorders' lean ``select_notifications`` (``SQLiteLeanRecorder``,
  ``PostgresLeanRecorder``) for the library's;
- a bulk writer per dialect (``SQLiteBulkWriter``, ``PostgresCopyWriter``) for
  ``projections.writing.CoreWriter``.

With the switch off every one of them takes the plain path. Both paths build the same read
models: ``tests/projections/test_fast_paths.py``.
"""

from application.service import ActionTrail
from infrastructure.config import Settings
from infrastructure.storage.fastpaths.decoding import fast_decoder
from infrastructure.storage.fastpaths.postgres import PostgresCopyWriter, PostgresLeanRecorder
from infrastructure.storage.fastpaths.sqlite import SQLiteBulkWriter, SQLiteLeanRecorder
from infrastructure.storage.recorders import PostgresRecorder, SQLiteRecorder
from projections.runner import Decode
from projections.writing import CORE_WRITER, RowWriter


def recorder_class(settings: Settings) -> type[SQLiteRecorder | PostgresRecorder]:
    """The application recorder of the configured store."""
    if settings.store == "sqlite":
        return SQLiteLeanRecorder if settings.fast_paths else SQLiteRecorder
    return PostgresLeanRecorder if settings.fast_paths else PostgresRecorder


def decoder(settings: Settings, app: ActionTrail) -> Decode:
    """How the read side turns the application's notifications into events."""
    return fast_decoder(app) if settings.fast_paths else app.mapper.to_domain_event


def row_writer(settings: Settings) -> RowWriter:
    """How the projections' rows are written to the configured store."""
    if not settings.fast_paths:
        return CORE_WRITER
    return SQLiteBulkWriter() if settings.store == "sqlite" else PostgresCopyWriter()
