"""Back up and restore the SQLite database while the app may be using it (issue 15, docs/deploy.md).

SQLite's online backup API copies a consistent snapshot page by page, so a backup taken under load is never
a torn file (a plain `cp` of a database in WAL mode can be). PostgreSQL is backed up with its own tools
(pg_dump/pg_restore, docs/deploy.md). The Chroma index needs no backup of its own: it is rebuilt from the
corpus and the organisations' cases kept in the database (`coach ingest --rebuild`).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from coach.errors import CoachError


def sqlite_path(url: str) -> Path:
    """The file of a `sqlite:///...` URL (SQLAlchemy's form); other databases have their own tools."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise CoachError(
            "only a SQLite database is backed up here; for PostgreSQL use pg_dump (docs/deploy.md)"
        )
    return Path(url[len(prefix) :])


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(destination)) as dst:
        src.backup(dst)


def backup_sqlite(database: Path, destination: Path) -> Path:
    """A consistent copy of `database` at `destination`, taken while others may be writing to it."""
    if not database.is_file():
        raise CoachError(f"no database at {database}")
    _copy(database, destination)
    return destination


def restore_sqlite(backup: Path, database: Path) -> None:
    """Put `backup` back as `database` (created if wiped); stop the app first, as with any restore."""
    if not backup.is_file():
        raise CoachError(f"no backup at {backup}")
    with closing(sqlite3.connect(backup)) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise CoachError(f"the backup {backup} is damaged")
    _copy(backup, database)
