"""The tables of signing in, beside the users (and, like them, never in the event log)."""

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table

metadata = MetaData()
#: 64 bits (a cursor may be any position); on SQLite an INTEGER key, its rowid, 64 bits too.
Serial = BigInteger().with_variant(Integer(), "sqlite")

#: One row per console session: only the hash of its secret id is kept.
sessions_table = Table(
    "console_sessions",
    metadata,
    Column("id", String(40), primary_key=True),  # the handle shown in lists, not the secret
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("user_id", String(40), nullable=False, index=True),
    Column("method", String(60), nullable=False),
    Column("address", String(100), nullable=True),
    Column("user_agent", String(300), nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("ended_by", String(40), nullable=True),
    Column("end_reason", String(40), nullable=True),
)

#: Every sign-in, failed sign-in, sign-out, ended session and token issued.
records_table = Table(
    "sign_in_records",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("event", String(30), nullable=False),
    Column("user_id", String(40), nullable=True, index=True),
    Column("method", String(60), nullable=False),
    Column("address", String(100), nullable=True),
    Column("detail", String(300), nullable=True),
)

#: Recent failures, per client address and per account, counted by ``Throttle``.
failures_table = Table(
    "sign_in_failures",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("sign_in_failures_key_at", "key", "at"),
)

#: Single sign-on attempts under way: each ``state`` is used once, within ``ATTEMPT_MINUTES``.
attempts_table = Table(
    "oidc_attempts",
    metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("provider", String(40), nullable=False),
    Column("browser_hash", String(64), nullable=False),
    Column("nonce", String(100), nullable=False),
    Column("code_verifier", String(128), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False, index=True),
    Column("used_at", DateTime(timezone=True), nullable=True),
)
