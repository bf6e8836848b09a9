"""The Practice page while the database is locked: the answer stays in the session with a clear message, and is
saved exactly once when the lock goes (by "Save now", or by pressing "Score my answer" again).

The lock is real: a second SQLite connection to the page's database file holding `BEGIN EXCLUSIVE`. In WAL
mode readers still read, so the page still signs the candidate in and draws; every write waits out the busy
timeout (0.3 s here) and fails.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from coach.config import get_settings
from coach.storage.store import Storage
from pages import _pending
from tests.app.conftest import EXAMPLE_1, actor_of, click, html_of, open_app, submit_answer


@pytest.fixture
def locked_database(app_storage: Storage, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """A connection able to hold the page's database locked; the page's writers give up after 0.3 s."""
    monkeypatch.setenv("COACH_SQLITE_BUSY_TIMEOUT_SECONDS", "0.3")
    get_settings.cache_clear()
    path = Path(str(make_url(get_settings().sqlite_url).database))
    holder = sqlite3.connect(path, isolation_level=None)
    yield holder
    if holder.in_transaction:
        holder.rollback()
    holder.close()


def _kept_then_unlocked(candidate: str, holder: sqlite3.Connection, storage: Storage) -> AppTest:
    at = open_app(candidate)
    holder.execute("BEGIN EXCLUSIVE")
    submit_answer(at, EXAMPLE_1)

    warning = "\n".join(w.value for w in at.warning)
    assert "Your answer is not saved yet: the database is locked by another writer" in warning
    assert "kept in this browser session and will be saved as soon as the database is back" in warning
    assert not at.header or "Scorecard" not in [h.value for h in at.header]
    kept = [e.label for e in at.expander if e.label.startswith("Kept in this session, not saved yet")]
    assert len(kept) == 1
    assert EXAMPLE_1[:60] in html_of(at)  # the text itself is on the page, escaped
    assert storage.transcripts.list_attempts(actor_of(storage, candidate)) == []

    holder.rollback()  # the database is back
    return at


def test_a_kept_answer_is_saved_once_by_save_now(
    candidate: str, locked_database: sqlite3.Connection, app_storage: Storage
) -> None:
    at = _kept_then_unlocked(candidate, locked_database, app_storage)
    click(at, "Save now")
    assert "Scorecard" in [h.value for h in at.header]
    assert not at.warning
    attempts = app_storage.transcripts.list_attempts(actor_of(app_storage, candidate))
    assert [(a.answer, a.status) for a in attempts] == [(EXAMPLE_1, "scored")]
    click(at, "↻ Try again")
    assert len(app_storage.transcripts.list_attempts(actor_of(app_storage, candidate))) == 1


def test_pressing_score_again_after_the_outage_saves_the_answer_once(
    candidate: str, locked_database: sqlite3.Connection, app_storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _kept_then_unlocked(candidate, locked_database, app_storage)
    click(at, "Score my answer")  # the same text, still in the box; no unprompted retry was due yet
    assert "Scorecard" in [h.value for h in at.header]
    monkeypatch.setattr(_pending, "RETRY_EVERY", 0.0)  # from now every run retries whatever is still held
    click(at, "↻ Try again")
    at.run()
    attempts = app_storage.transcripts.list_attempts(actor_of(app_storage, candidate))
    assert [a.answer for a in attempts] == [EXAMPLE_1]


def test_an_unreachable_database_is_one_clear_page_and_the_app_comes_back(
    candidate: str, app_storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(candidate)
    submit_answer(at, EXAMPLE_1)  # an answer in this session, and an attempt stored before the outage
    with socket.socket() as s:  # a port nothing listens on: connections are refused at once
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    working = get_settings().database_url
    monkeypatch.setenv("COACH_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{closed}/test")
    get_settings.cache_clear()
    at.run()
    assert not at.exception
    assert at.title[0].value == "The coach cannot reach its database"
    assert "Nothing typed in this browser is lost" in at.error[0].value
    assert any(b.label == "Try again" for b in at.button)

    monkeypatch.setenv("COACH_DATABASE_URL", str(working))
    get_settings.cache_clear()
    click(at, "Try again")
    assert at.title[0].value == "Practice"
