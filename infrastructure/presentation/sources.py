"""What the facade (``queries.Queries``) reads from, behind narrow protocols: the read service,
the users store, the log's integrity and inspection packs, each built when a query first needs
it (``bootstrap.Services`` is one). The facade never builds them itself: packs need fpdf2, and
the integrity service the signing key."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from application.queries import PackQuery
from infrastructure.integrity.report import IntegrityReport
from infrastructure.storage.users import UserDirectory
from projections.service import ReadService

if TYPE_CHECKING:
    from infrastructure.packs.service import Pack


class LogIntegrity(Protocol):
    """What ``IntegrityQuery`` and ``PublicKeyQuery`` ask (``integrity.service.Integrity``)."""

    def verify(
        self,
        *,
        start_seq: int | None = None,
        public_keys: Path | None = None,
        witness: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> IntegrityReport: ...

    def public_key_pem(self) -> str | None: ...


class PackMaker(Protocol):
    """What ``PackQuery`` asks (``packs.service.Packs``)."""

    def make(self, query: PackQuery) -> "Pack": ...


class Sources(Protocol):
    @property
    def read(self) -> ReadService: ...

    @property
    def users(self) -> UserDirectory: ...

    @property
    def integrity(self) -> LogIntegrity: ...

    @property
    def packs(self) -> PackMaker: ...
