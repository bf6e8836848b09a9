"""Migrations create exactly the models' schema on both backends; SQLite runs with WAL, a busy timeout, FKs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from coach.config import PROJECT_ROOT, Settings
from coach.storage.database import (
    MIGRATIONS,
    current_revision,
    downgrade,
    head_revision,
    make_database,
    make_engine,
    table_names,
    upgrade,
)
from coach.storage.tables import Base

COACH = str(Path(sys.executable).parent / "coach")
TABLES = sorted(
    [
        "alembic_version",
        "assignment_items",
        "assignments",
        "attempt_tombstones",
        "attempts",
        "audit_log",
        "auth_sessions",
        "case_studies",
        "case_versions",
        "cohorts",
        "drafts",
        "login_failures",
        "organisations",
        "questions",
        "reviews",
        "scorecards",
        "trainer_labels",
        "turns",
        "users",
    ]
)


def test_migrations_on_start_create_every_table_at_head(database_url: str, tmp_path: Path) -> None:
    database = make_database(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        assert table_names(database.engine) == TABLES
        assert current_revision(database.engine) == head_revision() == "0005"
    finally:
        database.dispose()


def test_migrations_match_the_models_exactly(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    downgrade(engine, "base")
    assert table_names(engine) == ["alembic_version"]
    assert current_revision(engine) is None
    upgrade(engine)
    upgrade(engine)  # idempotent: every start runs it
    assert table_names(engine) == TABLES
    engine.dispose()


def test_foreign_keys_are_enforced(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO attempts (user_id, organisation_id, question_id, question_text, answer, shared,"
                " status, created_at, updated_at) VALUES (999, 999, 'q', 'q', 'a', false, 'unscored',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()


def test_sqlite_runs_in_wal_with_busy_timeout_and_full_sync(tmp_path: Path) -> None:
    database = make_database(Settings(data_dir=tmp_path, sqlite_busy_timeout_seconds=7.5))
    try:
        assert str(database.engine.url) == f"sqlite:///{tmp_path / 'coach.db'}"
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 7500
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        database.dispose()


def test_the_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d")
    assert settings.database_url is None
    assert settings.sqlite_url == f"sqlite:///{tmp_path / 'd' / 'coach.db'}"
    assert Settings(database_url="postgresql+psycopg://u@h/db").sqlite_url == "postgresql+psycopg://u@h/db"


def test_migrations_ship_inside_the_package() -> None:
    assert MIGRATIONS.is_relative_to(PROJECT_ROOT / "coach")
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()
    shipped = {p.name for p in (MIGRATIONS / "versions").glob("0*.py")}
    assert {"0001_accounts_transcripts_audit.py", "0002_practice_flow.py"} <= shipped


def test_coach_db_upgrade_migrates_the_configured_database(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "data"), "COACH_DATABASE_URL": database_url}
    done = subprocess.run([COACH, "db", "upgrade"], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"database at revision {head_revision()}: ")
    engine = make_engine(database_url)
    assert table_names(engine) == TABLES
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/nothing", "coach: error: cannot open the database"),
        ("not a url", "coach: error: COACH_DATABASE_URL is not a database URL"),
    ],
)
def test_coach_db_upgrade_reports_a_bad_database_in_one_line(url: str, expected: str, tmp_path: Path) -> None:
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path), "COACH_DATABASE_URL": url}
    done = subprocess.run([COACH, "db", "upgrade"], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 1
    assert done.stderr.startswith(expected)
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
