"""The SQL database: one engine per URL (SQLite tuned for durability, or PostgreSQL) and its migrations."""

from __future__ import annotations

import errno
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
# SQLite reports a full disk as SQLITE_FULL, but a write the kernel refuses outright (EFBIG past a file size
# limit, EIO) as a generic I/O error: both mean nothing was committed, and the user's remedy is the same.
_SQLITE_FULL = ("database or disk is full", "disk i/o error")
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_PG_DISK_FULL = "53100"  # SQLSTATE disk_full
_NO_SPACE = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


class StorageUnavailable(CoachError):
    """The database cannot take the work now: locked past the busy timeout, unreachable, or its disk full.

    Nothing of the unit of work was committed; the same call may succeed later.
    """


class StorageFull(StorageUnavailable):
    """The disk under the database is full (or refuses to grow a file): nothing was written."""


def no_space(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is the operating system refusing a write for lack of space."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _NO_SPACE:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def storage_error(exc: OperationalError, url: str) -> StorageUnavailable:
    """The driver's error as one line the user can act on (never the SQL or its parameters)."""
    reason = " ".join(str(exc.orig or exc).split())  # drivers spread their messages over lines
    lowered = reason.lower()
    if getattr(exc.orig, "sqlstate", None) == _PG_DISK_FULL or any(m in lowered for m in _SQLITE_FULL):
        return StorageFull(f"the database's disk is full or refused a write ({reason}): nothing was written")
    if no_space(exc):
        return StorageFull(f"the database's disk is full ({reason}): nothing was written")
    if any(m in lowered for m in _SQLITE_BUSY):
        return StorageUnavailable(f"the database is locked by another writer ({reason})")
    return StorageUnavailable(f"the database {describe_url(url)} is unreachable ({reason})")


class Database:
    """An engine and its sessions; every unit of work is one transaction, committed on success."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A read-write unit of work: committed when the block ends, rolled back if it raises.

        Raises StorageUnavailable when the database is locked, unreachable or full.
        """
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise storage_error(exc, str(self.engine.url)) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work; on SQLite it does not queue behind writers."""
        try:
            with self._readers.begin() as session:
                yield session
        except OperationalError as exc:
            raise storage_error(exc, str(self.engine.url)) from exc

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
        # Unavailable rather than broken: the app says so and tries again on the next run.
        cause = storage_error(exc, str(engine.url))
        raise type(cause)(f"cannot open the database: {cause}") from None


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
