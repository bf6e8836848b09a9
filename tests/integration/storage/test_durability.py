"""No answer is lost: not when the writing process is killed (SIGKILL), not under 50 concurrent writers."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from coach.config import Settings
from coach.storage import tables as t
from coach.storage.database import make_database
from coach.storage.store import Storage, make_storage
from tests.integration.storage.conftest import PASSWORD, MakeUser
from tests.integration.storage.writer import answer_text

WRITER = str(Path(__file__).with_name("writer.py"))
KILL_ROUNDS = 5
WRITERS = 50
ANSWERS_PER_WRITER = 20


def _real_time_session(settings: Settings, email: str) -> str:
    """A session token valid by the wall clock, which the writer process goes by."""
    live = make_storage(settings)
    try:
        return live.accounts.sign_in(email, PASSWORD).token
    finally:
        live.close()


def _run_and_kill(url: str, token: str, start: int, commits: int) -> list[tuple[int, int]]:
    """Start a writer, let it report `commits` commits, then SIGKILL it at a random moment of its loop."""
    proc = subprocess.Popen(
        [sys.executable, WRITER, url, token, str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[3],
    )
    reported: list[tuple[int, int]] = []
    try:
        assert proc.stdout is not None
        while len(reported) < commits:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"the writer stopped early: {proc.stderr.read() if proc.stderr else ''}")
            attempt_id, n = line.split()
            reported.append((int(attempt_id), int(n)))
        time.sleep(random.uniform(0, 0.02))  # land anywhere: mid-INSERT, mid-COMMIT, between the two
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Lines written before the kill but not read yet are commits too.
    assert proc.stdout is not None
    reported += [(int(a), int(n)) for a, n in (line.split() for line in proc.stdout.read().splitlines())]
    return reported


def test_killed_writers_lose_no_committed_answer(
    storage: Storage, storage_settings: Settings, make_user: MakeUser, database_url: str
) -> None:
    make_user("Acme", "cand@acme.example", "candidate")
    token = _real_time_session(storage_settings, "cand@acme.example")
    reported: list[tuple[int, int]] = []
    for round_ in range(KILL_ROUNDS):
        reported += _run_and_kill(
            database_url, token, start=round_ * 100_000, commits=random.randint(40, 120)
        )

    # A fresh engine, as after a crash and restart (SQLite replays or discards its WAL here).
    reopened = make_storage(storage_settings)
    try:
        actor = reopened.accounts.authenticate(token)
        stored = {a.id: a for a in reopened.transcripts.list_attempts(actor)}
        for attempt_id, n in reported:
            attempt = reopened.transcripts.get_attempt(actor, attempt_id)
            assert (attempt.question_text, attempt.answer) == (f"question {n}", answer_text(n))
            assert [(u.question, u.answer) for u in attempt.turns] == [(f"follow-up {n}", f"turn answer {n}")]
        # Whatever else made it (an answer committed just before the kill, not yet reported) is whole.
        assert set(stored) >= {a for a, _ in reported}
        assert len(stored) <= len(reported) + KILL_ROUNDS
        for attempt in stored.values():
            n = int(attempt.question_text.split()[1])
            assert attempt.answer == answer_text(n)
        if reopened.database.backend == "sqlite":
            with reopened.database.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        reopened.close()
    backend = database_url.split(":")[0].split("+")[0]
    print(f"\n{backend}: {KILL_ROUNDS} kills, {len(reported)} committed answers, all intact")


def test_fifty_concurrent_writers_lose_nothing(storage: Storage, storage_settings: Settings) -> None:
    actors = [
        storage.accounts.sign_in(member.email, PASSWORD).actor
        for member in (
            storage.accounts.create_user_from_shell("Acme", f"writer{i}@acme.example", "candidate", PASSWORD)
            for i in range(WRITERS)
        )
    ]
    barrier = threading.Barrier(WRITERS)
    saved: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def write(index: int) -> None:
        # Each writer has its own engine and connections, like a separate app process would.
        own = make_storage(storage_settings, database=make_database(storage_settings, migrate=False))
        try:
            barrier.wait()
            saved[index] = [
                own.transcripts.save_attempt(
                    actors[index], question_id="q", question_text="Q", answer=f"writer {index} answer {k}"
                )
                for k in range(ANSWERS_PER_WRITER)
            ]
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert not errors, errors[:3]

    total = WRITERS * ANSWERS_PER_WRITER
    ids = [i for batch in saved.values() for i in batch]
    assert len(ids) == len(set(ids)) == total
    with storage.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(t.Attempt)) == total
        assert session.scalar(select(func.count()).where(t.AuditEntry.action == "attempt.create")) == total
    for index, actor in enumerate(actors):
        answers = sorted(a.answer for a in storage.transcripts.list_attempts(actor))
        assert answers == sorted(f"writer {index} answer {k}" for k in range(ANSWERS_PER_WRITER))
    print(f"\n{storage.database.backend}: {WRITERS} writers, {total} answers in {elapsed:.2f} s, none lost")


def test_the_writer_reports_only_after_commit(
    database_url: str, storage: Storage, storage_settings: Settings, make_user: MakeUser
) -> None:
    """The kill test's premise: a reported id is readable by another process when it is printed."""
    cand = make_user("Acme", "cand@acme.example", "candidate")
    token = _real_time_session(storage_settings, "cand@acme.example")
    for attempt_id, n in _run_and_kill(database_url, token, start=0, commits=3):
        assert storage.transcripts.get_attempt(cand, attempt_id).answer == answer_text(n)
