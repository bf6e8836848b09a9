"""A PostgreSQL database of a test's own, on the server COACH_TEST_DATABASE_URL names (default: the local one
on 127.0.0.1:5432), created for the test and dropped after it. No server: the test skips, unless CI=true,
where it fails."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def server_url() -> str:
    return os.environ.get("COACH_TEST_DATABASE_URL") or PG_DEFAULT


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database named `prefix_<random>`, dropped (connections and all) on exit."""
    base = make_url(server_url())
    admin = create_engine(
        base, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"connect_timeout": 5}
    )
    try:
        conn = admin.connect()
    except OperationalError as exc:
        reason = " ".join(str(exc.orig).split())
        where = base.render_as_string(hide_password=True)
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and no PostgreSQL server answers at {where}: {reason}", pytrace=False)
        pytest.skip(f"no PostgreSQL server at {where} ({reason}); run .ci/run or set COACH_TEST_DATABASE_URL")
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    with conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
