"""The sign-in record: who signed in, failed to, signed out or was given a token, when and
from where. Governance reads it (``GET /sign-ins``, ``actiontrail users sign-ins``).

Kept in a table, not in the event log: see docs/security.md ("Why sign-ins are not events").
Rows are only ever added.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import Engine, RowMapping, select

from domain.clock import utc_now
from infrastructure.signin.tables import records_table
from infrastructure.storage.users import aware


class SignInEvent(Enum):
    SIGNED_IN = "signed-in"
    SIGN_IN_FAILED = "sign-in-failed"
    TOKEN_REFUSED = "token-refused"
    SIGNED_OUT = "signed-out"
    SESSION_ENDED = "session-ended"
    TOKEN_ISSUED = "token-issued"


@dataclass(frozen=True)
class SignInRecord:
    id: int
    at: datetime
    event: SignInEvent
    user_id: str | None
    method: str
    address: str | None
    detail: str | None


class SignInRecords:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(
        self,
        event: SignInEvent,
        *,
        method: str,
        user_id: str | None = None,
        address: str | None = None,
        detail: str | None = None,
    ) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                records_table.insert().values(
                    at=utc_now(),
                    event=event.value,
                    user_id=user_id,
                    method=method[:60],
                    address=(address or "")[:100] or None,
                    detail=(detail or "")[:300] or None,
                )
            )

    def read(  # noqa: PLR0913 - keyword filters of one read
        self,
        *,
        user_id: str | None = None,
        event: SignInEvent | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[SignInRecord]:
        """Records oldest first, after the record ``after`` (a cursor), at most ``limit``."""
        query = select(records_table).where(records_table.c.id > after)
        if user_id is not None:
            query = query.where(records_table.c.user_id == user_id)
        if event is not None:
            query = query.where(records_table.c.event == event.value)
        if since is not None:
            query = query.where(records_table.c.at >= since)
        if until is not None:
            query = query.where(records_table.c.at < until)
        query = query.order_by(records_table.c.id).limit(limit)
        with self._engine.connect() as connection:
            return [_record(row) for row in connection.execute(query).mappings()]


def _record(row: RowMapping) -> SignInRecord:
    return SignInRecord(
        id=row["id"],
        at=aware(row["at"]),
        event=SignInEvent(row["event"]),
        user_id=row["user_id"],
        method=row["method"],
        address=row["address"],
        detail=row["detail"],
    )
