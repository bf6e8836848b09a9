"""Without a PostgreSQL server the PostgreSQL half of the suite skips with its reason; with CI=true it fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/test"  # port 1: nothing listens there


def _pytest_with(ci: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_TEST_DATABASE_URL": NOWHERE, "CI": ci}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "downgrade",
         "tests/integration/storage/test_database.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.mark.parametrize("ci", ["", "false"])
def test_no_server_skips_with_a_clear_reason(ci: str) -> None:
    done = _pytest_with(ci)
    assert done.returncode == 0, done.stdout
    assert "1 passed, 1 skipped" in done.stdout  # SQLite ran, PostgreSQL skipped
    assert "no PostgreSQL server at postgresql+psycopg://postgres@127.0.0.1:1/test" in done.stdout
    assert "run .ci/run or set COACH_TEST_DATABASE_URL" in done.stdout


def test_no_server_in_ci_fails() -> None:
    done = _pytest_with("true")
    assert done.returncode == 1
    assert "1 passed" in done.stdout and "1 error" in done.stdout
    assert "CI=true and no PostgreSQL server answers" in done.stdout
