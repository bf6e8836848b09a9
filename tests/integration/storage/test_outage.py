"""The database locked or unreachable for a while: the answer is kept, with a clear message, and saved once it is back.

Real parts only: a SQLite file held by another connection's `BEGIN EXCLUSIVE`, and a real PostgreSQL server
reached through a TCP relay on a port of 127.0.0.1 that this test closes and opens again (while closed, the
port refuses connections exactly as a server that is down does). The scorer is the real built-in one.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from coach.config import Settings
from coach.practice.pending import AnswerKept, PendingAnswer, PendingAnswers
from coach.practice.workflow import make_practice
from coach.retrieval.corpus import Question
from coach.scoring.scorer import Scorer
from coach.storage.database import Database, StorageUnavailable, make_engine
from coach.storage.permissions import Actor
from coach.storage.store import Storage, make_storage
from tests.integration.storage.conftest import PASSWORD, _empty_postgres

QUESTION = Question("failed-campaign", "Explain a digital marketing campaign you led that failed.")
EXAMPLE = (Path(__file__).parents[2] / "data" / "rubric_example_1.txt").read_text().strip()
BUSY = 0.3  # seconds a writer queues for the SQLite lock here (the default, 30 s, would make a slow test)


def _settings(tmp_path: Path, url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=url,
        sqlite_busy_timeout_seconds=BUSY,
        argon2_time_cost=1,
        argon2_memory_kib=8192,
    )


def _candidate(storage: Storage) -> Actor:
    member = storage.accounts.create_user_from_shell("Acme", "cand@acme.example", "candidate", PASSWORD)
    return Actor(member.id, member.organisation_id, member.role, member.email)


def _answers(storage: Storage, actor: Actor) -> list[str]:
    return [a.answer for a in storage.transcripts.list_attempts(actor)]


# -- SQLite, locked by another writer ----------------------------------------------------------------------


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[tuple[Storage, Path]]:
    path = tmp_path / "coach.db"
    storage = make_storage(_settings(tmp_path, f"sqlite:///{path}"))
    yield storage, path
    storage.close()


def _lock(path: Path) -> sqlite3.Connection:
    """Another process's writer, as far as SQLite can tell: its own connection holding the write lock."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_locked_sqlite_keeps_the_answer_and_saves_it_once_when_unlocked(
    sqlite_store: tuple[Storage, Path], scorer: Scorer
) -> None:
    storage, path = sqlite_store
    actor = _candidate(storage)
    practice = make_practice(storage.transcripts, lambda: scorer)
    held = PendingAnswers()

    holder = _lock(path)
    started = time.monotonic()
    with pytest.raises(AnswerKept) as kept:
        practice.submit(actor, QUESTION, EXAMPLE)
    assert time.monotonic() - started < BUSY + 2  # the busy timeout, not a hang
    message = str(kept.value)
    assert "not saved yet: the database is locked by another writer (database is locked)" in message
    assert "kept in this browser session and will be saved as soon as the database is back" in message
    held.keep(kept.value.pending)

    # Pressing the button again with the same text holds it once; a flush while still locked saves nothing.
    with pytest.raises(AnswerKept) as again:
        practice.submit(actor, QUESTION, EXAMPLE)
    held.keep(again.value.pending)
    assert len(held) == 1
    still = practice.save_pending(actor, held)
    assert still.saved == () and still.held == 1 and "locked" in (still.reason or "")
    assert _answers(storage, actor) == []  # readers are not blocked in WAL mode: nothing was written

    holder.rollback()
    holder.close()
    flushed = practice.save_pending(actor, held)
    assert len(flushed.saved) == 1 and flushed.held == 0 and len(held) == 0
    outcome = flushed.saved[0]
    assert outcome.scored and outcome.error is None and outcome.attempt.answer == EXAMPLE
    assert practice.save_pending(actor, held).saved == ()  # nothing left to save twice
    assert _answers(storage, actor) == [EXAMPLE]
    assert storage.transcripts.get_attempt(actor, outcome.attempt.id).status == "scored"


def test_a_commit_that_went_through_after_all_is_not_saved_twice(
    sqlite_store: tuple[Storage, Path], scorer: Scorer
) -> None:
    """A connection lost during COMMIT reports a failure although the row may be in: the retry finds it."""
    storage, _ = sqlite_store
    actor = _candidate(storage)
    practice = make_practice(storage.transcripts, lambda: scorer)
    held = PendingAnswers()
    held.keep(PendingAnswer(QUESTION, EXAMPLE, None, "connection lost", kept_at=datetime.now(UTC)))
    committed = storage.transcripts.create_attempt(
        actor, question_id=QUESTION.id, question_text=QUESTION.text, answer=EXAMPLE
    )
    flushed = practice.save_pending(actor, held)
    assert [o.attempt.id for o in flushed.saved] == [committed.id]
    assert _answers(storage, actor) == [EXAMPLE]


def test_database_lost_after_the_answer_is_committed_leaves_it_saved_and_unscored(
    sqlite_store: tuple[Storage, Path], scorer: Scorer
) -> None:
    """The lock taken while the scorer runs: the answer is in, its score is not, and nothing is held."""
    storage, path = sqlite_store
    actor = _candidate(storage)
    holders: list[sqlite3.Connection] = []

    def score_then_lock() -> Scorer:
        holders.append(_lock(path))
        return scorer

    practice = make_practice(storage.transcripts, score_then_lock)
    outcome = practice.submit(actor, QUESTION, EXAMPLE)
    holders[0].rollback()
    assert not outcome.scored and outcome.error is not None and "Score again" in outcome.error
    assert storage.transcripts.get_attempt(actor, outcome.attempt.id).status == "unscored"
    assert _answers(storage, actor) == [EXAMPLE]


# -- PostgreSQL, unreachable for a while -------------------------------------------------------------------


class Relay:
    """A TCP relay from a port of 127.0.0.1 to the PostgreSQL server; closed, that port refuses connections."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Close the port and cut every connection through it, as a server going away does."""
        if self._listener is not None:
            # shutdown first: a bare close leaves the socket listening under the thread blocked in accept().
            self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relay(postgres_url: str) -> Iterator[tuple[Relay, str]]:
    url = make_url(postgres_url)
    relayed = Relay((url.host or "127.0.0.1", url.port or 5432))
    _empty_postgres(postgres_url)
    yield relayed, url.set(port=relayed.port).render_as_string(hide_password=False)
    relayed.down()


def test_unreachable_postgres_keeps_the_answer_and_saves_it_once_when_back(
    relay: tuple[Relay, str], tmp_path: Path, scorer: Scorer
) -> None:
    server, url = relay
    server.up()
    storage = make_storage(_settings(tmp_path, url), database=Database(make_engine(url)))
    try:
        actor = _candidate(storage)
        practice = make_practice(storage.transcripts, lambda: scorer)
        first = practice.submit(actor, QUESTION, "An answer saved while the server was up. " * 20)
        assert first.scored

        server.down()
        with pytest.raises(AnswerKept) as kept:
            practice.submit(actor, QUESTION, EXAMPLE, retry_of=first.attempt.id)
        message = str(kept.value)
        assert f"the database postgresql+psycopg://postgres@127.0.0.1:{server.port}/" in message
        assert "is unreachable (" in message and "refused" in message
        assert "kept in this browser session" in message
        held = PendingAnswers()
        held.keep(kept.value.pending)
        assert practice.save_pending(actor, held).held == 1  # still down: still held
        with pytest.raises(StorageUnavailable):
            storage.transcripts.list_attempts(actor)  # reads fail too, with the same clear error

        server.up()
        flushed = practice.save_pending(actor, held)
        assert len(flushed.saved) == 1 and len(held) == 0
        saved = flushed.saved[0]
        assert saved.scored and saved.attempt.retry_of == first.attempt.id
        assert practice.save_pending(actor, held).saved == ()
        assert sorted(_answers(storage, actor)) == sorted([first.attempt.answer, EXAMPLE])
    finally:
        storage.close()


def test_pending_answers_hold_each_answer_once_and_in_order() -> None:
    held = PendingAnswers()
    earlier = datetime.now(UTC) - timedelta(minutes=1)
    a = held.keep(PendingAnswer(QUESTION, "first", None, "down", kept_at=earlier))
    held.keep(PendingAnswer(QUESTION, "second", None, "down"))
    assert held.keep(PendingAnswer(QUESTION, "first", None, "still down")).key == a.key
    assert [p.answer for p in held] == ["first", "second"] and held.reason == "down"
    assert held.holds(QUESTION.id, "first") and not held.holds(QUESTION.id, "first", retry_of=3)
