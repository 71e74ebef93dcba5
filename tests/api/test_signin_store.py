"""The sign-in stores on each store with the clock frozen (finding 2 of issue 22): sessions end
after 30 idle minutes and after 10 hours, tokens after 90 days, throttling after its window."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import Column, MetaData, Table

from domain.clock import utc_now
from domain.codes import Role
from infrastructure.bootstrap import Services, build_services, ensure_schema
from infrastructure.config import Settings
from infrastructure.signin.service import Client, Throttled, TokenRefused
from infrastructure.storage.database import create_read_engine
from infrastructure.storage.users import TokenProblem, hash_token, users_table

HERE = Client("192.0.2.1")


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    with build_services(settings) as built:
        yield built


def test_a_session_ends_after_idling_and_after_its_lifetime_whatever_the_clock(
    services: Services,
) -> None:
    start = utc_now()
    user = services.users.add(name="Ian", role=Role.INSPECTOR, agency=None, created_by=None).user
    with freeze_time(start):
        idle = services.signin.start_session(user, "token", HERE).secret
        busy = services.signin.start_session(user, "token", HERE).secret
    sessions = services.signin.sessions
    with freeze_time(start + timedelta(minutes=29)):
        assert sessions.current(idle) is not None
    with freeze_time(start + timedelta(minutes=29 + 31)):
        assert sessions.current(idle) is None, "30 minutes idle"
    for minutes in range(20, 10 * 60, 20):
        with freeze_time(start + timedelta(minutes=minutes)):
            assert sessions.current(busy) is not None
    with freeze_time(start + timedelta(hours=10)):
        assert sessions.current(busy) is None, "10 hours at most"
    with freeze_time(start + timedelta(days=30)):
        assert sessions.current(idle) is None
        assert sessions.current(busy) is None


def test_tokens_expire_after_90_days_and_a_new_one_works(services: Services) -> None:
    start = utc_now()
    with freeze_time(start):
        added = services.users.add(name="Gill", role=Role.GOVERNANCE, agency=None, created_by=None)
    assert added.user.token_expires_at == start + timedelta(days=90)
    with freeze_time(start + timedelta(days=89)):
        assert services.users.check_token(added.token).ok
    with freeze_time(start + timedelta(days=90, seconds=1)):
        expired = services.users.check_token(added.token)
        assert expired.problem is TokenProblem.EXPIRED
        with pytest.raises(TokenRefused, match="expired"):
            services.signin.token_user(added.token, HERE)
        renewed = services.signin.issue_token(added.user.id, by="u-someone", client=HERE)
        assert services.users.check_token(renewed.token).ok
        assert not services.users.check_token(added.token).ok, "the old token stops at once"


def test_throttling_lasts_its_window_and_no_longer(services: Services) -> None:
    start = utc_now()
    token = services.users.add(name="Rae", role=Role.REPORTING, agency=None, created_by=None)
    with freeze_time(start):
        for _ in range(10):
            with pytest.raises(TokenRefused):
                services.signin.token_user("at_wrong", HERE)
        with pytest.raises(Throttled) as throttled:
            services.signin.token_user(token.token, HERE)
    assert throttled.value.seconds == 15 * 60
    with freeze_time(start + timedelta(minutes=14)):
        with pytest.raises(Throttled) as later:
            services.signin.token_user(token.token, HERE)
        assert later.value.seconds == 60
    with freeze_time(start + timedelta(minutes=15, seconds=1)):
        assert services.signin.token_user(token.token, HERE).name == "Rae"


def test_an_older_users_table_gains_the_new_columns_and_its_tokens_a_lifetime(
    settings: Settings,
) -> None:
    """A database from before tokens expired: its users keep working, for 90 days more."""
    old = MetaData()
    before_expiry = list(users_table.columns)[
        : list(users_table.columns).index(users_table.c.token_expires_at)
    ]
    Table(
        "users",
        old,
        *(
            Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable, unique=c.unique)
            for c in before_expiry
        ),
    )
    ensure_schema(settings)
    engine = create_read_engine(settings)
    old.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            old.tables["users"]
            .insert()
            .values(
                id="u-old",
                name="Olive",
                role="governance",
                token_hash=hash_token("at_old"),
                created_at=utc_now() - timedelta(days=400),
            )
        )
    engine.dispose()
    with build_services(settings) as services:
        check = services.users.check_token("at_old")
        assert check.ok, check.problem
        assert check.user is not None
        expires = check.user.token_expires_at
        assert expires is not None
        assert expires > utc_now() + timedelta(days=89)
        added = services.users.add(
            name="Kim", role=Role.REPORTING, agency=None, created_by="u-old", email="kim@x.example"
        )
        assert services.users.get(added.user.id).email == "kim@x.example"
