"""The SQL database: one engine per URL (SQLite tuned for durability, or PostgreSQL) and its migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from coach.config import Settings, get_settings
from coach.errors import CoachError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_READ_ONLY = "coach_read_only"


class Database:
    """An engine and its sessions; every unit of work is one transaction, committed on success."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A read-write unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work; on SQLite it does not queue behind writers."""
        with self._readers.begin() as session:
            yield session

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def _prepare_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below): the driver's implicit deferred BEGIN lets two writers both
        # read, then fail to upgrade to a write lock without waiting (SQLITE_BUSY, not retried).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk before save_attempt returns, so a power cut loses no answer either.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so busy_timeout queues concurrent writers; a
        # read-only transaction never upgrades, so it reads its WAL snapshot without waiting.
        read_only = conn.get_execution_options().get(_READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str, *, busy_timeout: float = 30.0) -> Engine:
    """An engine for `url`; a SQLite file's directory is created if missing."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise CoachError(f"COACH_DATABASE_URL is not a database URL: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CoachError(
                    f"cannot create the database directory for {parsed.database}: {exc}"
                ) from None
        engine = create_engine(parsed, hide_parameters=True, connect_args={"timeout": busy_timeout})
        _prepare_sqlite(engine, busy_timeout)
        return engine
    # Parameters stay out of logs and error messages: they carry answers and password hashes.
    return create_engine(parsed, hide_parameters=True, pool_pre_ping=True)


def describe_url(url: str) -> str:
    """The URL with any password masked, fit for printing."""
    return make_url(url).render_as_string(hide_password=True)


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default); safe to run on every start."""
    from alembic import command

    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), revision)
    except OperationalError as exc:
        reason = " ".join(str(exc.orig or exc).split())  # drivers spread their messages over lines
        raise CoachError(f"cannot open the database {describe_url(str(engine.url))}: {reason}") from None


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


def make_database(settings: Settings | None = None, *, migrate: bool = True) -> Database:
    """The configured database, migrated to the newest schema unless told otherwise."""
    settings = settings or get_settings()
    engine = make_engine(settings.sqlite_url, busy_timeout=settings.sqlite_busy_timeout_seconds)
    if migrate:
        upgrade(engine)
    return Database(engine)
