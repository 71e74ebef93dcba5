"""Console sessions: a random secret in the browser's cookie, its hash in ``console_sessions``.

A session ends at sign-out, when it has been idle for ``idle`` or has lasted ``lifetime``
(whichever comes first), when it is ended by its user or by governance, and when its user is
revoked or given a new token. Its last activity is written at most once a minute
(``SEEN_PRECISION``), so most requests cost one indexed read.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, RowMapping, and_, select, update

from application.errors import NotFound
from domain.clock import utc_now
from infrastructure.signin.hashing import digest, new_secret
from infrastructure.signin.tables import sessions_table
from infrastructure.storage.users import User, aware, user_from_row, users_table

SEEN_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    id: str
    user_id: str
    method: str
    address: str | None
    user_agent: str | None
    started_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    ended_by: str | None
    end_reason: str | None


@dataclass(frozen=True)
class Started:
    """A new session, with the secret that goes in the cookie (and nowhere else)."""

    session: Session
    secret: str


@dataclass(frozen=True)
class Current:
    """The signed-in user of a live session."""

    session: Session
    user: User


class Sessions:
    def __init__(self, engine: Engine, idle: timedelta, lifetime: timedelta) -> None:
        self._engine = engine
        self.idle = idle
        self.lifetime = lifetime

    def start(
        self, user: User, method: str, address: str | None, user_agent: str | None
    ) -> Started:
        secret = new_secret()
        now = utc_now()
        session = Session(
            id=f"s-{uuid.uuid4().hex[:16]}",
            user_id=user.id,
            method=method,
            address=address,
            user_agent=(user_agent or "")[:300] or None,
            started_at=now,
            last_seen_at=now,
            expires_at=now + self.lifetime,
            ended_at=None,
            ended_by=None,
            end_reason=None,
        )
        with self._engine.begin() as connection:
            connection.execute(
                sessions_table.insert().values(secret_hash=digest(secret), **session.__dict__)
            )
        return Started(session, secret)

    def current(self, secret: str) -> Current | None:
        """The live session with this secret and its active user, or None (unknown, ended,
        idle too long, past its lifetime, or its user revoked)."""
        now = utc_now()
        query = (
            select(sessions_table, *[c.label(f"u__{c.name}") for c in users_table.c])
            .join(users_table, users_table.c.id == sessions_table.c.user_id)
            .where(
                sessions_table.c.secret_hash == digest(secret),
                sessions_table.c.ended_at.is_(None),
                sessions_table.c.expires_at > now,
                sessions_table.c.last_seen_at > now - self.idle,
                users_table.c.revoked_at.is_(None),
            )
        )
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        session = _session(row)
        if now - session.last_seen_at >= SEEN_PRECISION:
            with self._engine.begin() as connection:
                connection.execute(
                    update(sessions_table)
                    .where(sessions_table.c.id == session.id)
                    .values(last_seen_at=now)
                )
        return Current(session, user_from_row(row, prefix="u__"))

    def end(self, session_id: str, by: str, reason: str) -> Session:
        """End a session (ending an ended one keeps the first end)."""
        with self._engine.begin() as connection:
            connection.execute(
                update(sessions_table)
                .where(sessions_table.c.id == session_id, sessions_table.c.ended_at.is_(None))
                .values(ended_at=utc_now(), ended_by=by, end_reason=reason)
            )
        return self.get(session_id)

    def end_all(self, user_id: str, by: str, reason: str) -> int:
        """End every live session of a user; answers how many."""
        with self._engine.begin() as connection:
            result = connection.execute(
                update(sessions_table)
                .where(sessions_table.c.user_id == user_id, sessions_table.c.ended_at.is_(None))
                .values(ended_at=utc_now(), ended_by=by, end_reason=reason)
            )
        return int(result.rowcount)

    def get(self, session_id: str) -> Session:
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(sessions_table).where(sessions_table.c.id == session_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound("session", session_id)
        return _session(row)

    def of_user(self, user_id: str, *, live_only: bool = True) -> list[Session]:
        """A user's sessions, newest first (by default only those still live)."""
        now = utc_now()
        query = select(sessions_table).where(sessions_table.c.user_id == user_id)
        if live_only:
            query = query.where(
                and_(
                    sessions_table.c.ended_at.is_(None),
                    sessions_table.c.expires_at > now,
                    sessions_table.c.last_seen_at > now - self.idle,
                )
            )
        query = query.order_by(sessions_table.c.started_at.desc(), sessions_table.c.id)
        with self._engine.connect() as connection:
            return [_session(row) for row in connection.execute(query).mappings()]

    def idle_until(self, session: Session) -> datetime:
        """When the session ends if nothing more is asked (idle, or its lifetime)."""
        return min(session.last_seen_at + self.idle, session.expires_at)


def _session(row: RowMapping) -> Session:
    return Session(
        id=row["id"],
        user_id=row["user_id"],
        method=row["method"],
        address=row["address"],
        user_agent=row["user_agent"],
        started_at=aware(row["started_at"]),
        last_seen_at=aware(row["last_seen_at"]),
        expires_at=aware(row["expires_at"]),
        ended_at=aware(row["ended_at"]) if row["ended_at"] else None,
        ended_by=row["ended_by"],
        end_reason=row["end_reason"],
    )
