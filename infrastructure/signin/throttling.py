"""Throttling of failed sign-ins and failed token use, per client address and per account.

Each failure is a row of ``sign_in_failures`` under a key (``address:<ip>``, ``account:<id>``);
once a key has ``limit`` failures in the last ``window``, every attempt under it is refused
(429, ``Retry-After``) until the oldest of them leaves the window: a sliding window, so nobody
is locked out for longer than ``window`` after their last failure. The rows are in the
database, so every ``serve`` worker counts the same failures; rows older than the window are
deleted as new failures come in.
"""

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, select

from domain.clock import utc_now
from infrastructure.signin.tables import failures_table
from infrastructure.storage.users import aware


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def account_key(account: str) -> str:
    return f"account:{account}"[:200]


class Throttle:
    def __init__(self, engine: Engine, limit: int, window: timedelta) -> None:
        self._engine = engine
        self.limit = limit
        self.window = window

    def retry_after(self, keys: Sequence[str]) -> int | None:
        """Seconds to wait if any of ``keys`` has had ``limit`` failures in the window, else
        None (one indexed query)."""
        now = utc_now()
        since = now - self.window
        query = (
            select(failures_table.c.key, func.count())
            .where(failures_table.c.key.in_(list(keys)), failures_table.c.at > since)
            .group_by(failures_table.c.key)
        )
        with self._engine.connect() as connection:
            counts = list(connection.execute(query))
        waits = [self._wait(key, now) for key, count in counts if count >= self.limit]
        return max(waits) if waits else None

    def _wait(self, key: str, now: datetime) -> int:
        """Until the ``limit``-th latest failure leaves the window: one more attempt then."""
        since = now - self.window
        query = (
            select(failures_table.c.at)
            .where(failures_table.c.key == key, failures_table.c.at > since)
            .order_by(failures_table.c.at.desc())
            .offset(self.limit - 1)
            .limit(1)
        )
        with self._engine.connect() as connection:
            limiting = connection.execute(query).scalar_one_or_none()
        if limiting is None:
            return 1
        seconds = (aware(limiting) + self.window - now).total_seconds()
        return max(1, math.ceil(seconds))

    def failed(self, keys: Sequence[str]) -> None:
        """Count one failure under each key, and forget failures older than the window."""
        now = utc_now()
        with self._engine.begin() as connection:
            connection.execute(failures_table.insert(), [{"key": key, "at": now} for key in keys])
            connection.execute(
                delete(failures_table).where(failures_table.c.at <= now - self.window)
            )
