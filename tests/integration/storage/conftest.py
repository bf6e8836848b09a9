"""The storage suite's backends: every test here runs on a SQLite file and on a real PostgreSQL server.

PostgreSQL: COACH_TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test) names a
server and a database to connect to; the suite creates its own database there for the session and drops
it afterwards. No server: the PostgreSQL half skips, unless CI=true, where it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from coach.config import Settings
from coach.storage.database import make_engine, upgrade
from coach.storage.permissions import Actor
from coach.storage.store import Storage, make_storage
from coach.storage.tables import Base
from tests.postgres import scratch_database

PASSWORD = "practice-makes-perfect"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    with scratch_database("coach_test") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


def _empty_postgres(url: str) -> None:
    """Every table emptied and every id sequence restarted, and the schema at head."""
    engine = make_engine(url)
    upgrade(engine)  # a migration test may have left it at base
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database at the newest schema, on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'coach.db'}"
    url: str = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


class ManualClock:
    """Time that moves only when a test says so: sessions and lockouts expire without sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def storage_settings(database_url: str, tmp_path: Path) -> Settings:
    # Cheap argon2 parameters keep the suite fast; test_passwords checks the real defaults.
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        argon2_time_cost=1,
        argon2_memory_kib=8192,
    )


@pytest.fixture
def storage(storage_settings: Settings, clock: ManualClock) -> Iterator[Storage]:
    built = make_storage(storage_settings, clock=clock)
    yield built
    built.close()


MakeUser = Callable[..., Actor]


@pytest.fixture
def make_user(storage: Storage) -> MakeUser:
    """Create a user (and its organisation if new) the way `coach users create` does."""

    def make(org: str, email: str, role: str, password: str = PASSWORD) -> Actor:
        member = storage.accounts.create_user_from_shell(org, email, role, password)
        return Actor(member.id, member.organisation_id, member.role, member.email)

    return make
