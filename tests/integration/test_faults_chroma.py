"""Faults (issue 15): the Chroma server unavailable. Scoring still works; the scorecard says related cases are
unavailable; the answer is stored and scored; when the server is back, related cases come back.

A real `chroma run` on 127.0.0.1 (the fixture of tests/integration/test_chroma_server.py), a real SQLite
database, the real scorer, wired as pages/_resources.py wires them.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coach.config import Settings
from coach.practice.related_cases import RELATED_UNAVAILABLE, GuardedFinder, NotingScorer
from coach.practice.workflow import make_practice
from coach.retrieval.corpus import Question, load_documents, load_vocabulary
from coach.retrieval.indexing import chunk_document
from coach.retrieval.library import library_finder, make_library
from coach.retrieval.vectorstore import make_vector_store
from coach.rubric import Flag
from coach.scorecard import Related
from coach.scoring.lifecycle import make_scorer
from coach.storage.permissions import Actor
from coach.storage.store import make_storage
from tests.conftest import CORPUS
from tests.integration.test_adversarial import DATA as ADVERSARIAL
from tests.integration.test_chroma_server import CHROMA

QUESTION = Question("failed-campaign", "Explain a digital marketing campaign you led that failed.")
ANSWER = (
    "As head of growth I led an email campaign with a promo code for our meal kit. The code leaked to coupon "
    "sites and redemptions cost three times the budget; I owned that, we missed margin by 30%. The analysis "
    "showed the code had no per-customer limit. I learned to cap and personalise every code, and on the next "
    "launch we used single-use codes and stayed within budget."
)

# An off-topic answer with sentences the scorer keeps, so a related-case query is made from it.
OFF_TOPIC = next(
    row["answer"]
    for row in map(json.loads, (ADVERSARIAL / "off_topic.jsonl").read_text().splitlines())
    if row["id"] == "off_topic-01"
)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ChromaServer:
    """`chroma run` on 127.0.0.1 that a test can stop (the shared fixture only yields its port)."""

    def __init__(self, path: Path) -> None:
        self.port = _closed_port()
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    pytest.fail("the chroma server did not start")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def stoppable_chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-server")
    yield server
    server.stop()


def _wired(settings: Settings, tmp_path: Path) -> tuple[NotingScorer, object, Actor]:
    scorer = NotingScorer(
        make_scorer(settings, related=GuardedFinder(lambda: library_finder(make_library(settings))))
    )
    storage = make_storage(
        settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'coach.db'}", "argon2_time_cost": 1,
                                    "argon2_memory_kib": 8192})
    )  # fmt: skip
    member = storage.accounts.create_user_from_shell("Acme", "c@acme.example", "candidate", "long-password-1")
    return scorer, storage, Actor(member.id, member.organisation_id, member.role, member.email)


def test_chroma_server_never_reached(settings: Settings, scorer_settings: Settings, tmp_path: Path) -> None:
    remote = settings.model_copy(
        update={
            "chroma_host": "127.0.0.1",
            "chroma_port": _closed_port(),
            "data_dir": scorer_settings.data_dir,
        }
    )
    scorer, storage, actor = _wired(remote, tmp_path)
    outcome = make_practice(storage.transcripts, lambda: scorer).submit(actor, QUESTION, ANSWER)  # type: ignore[attr-defined]

    assert outcome.card is not None and outcome.error is None
    assert RELATED_UNAVAILABLE in outcome.card.notes and outcome.card.related == ()
    alone = make_scorer(scorer_settings).score(ANSWER, question=QUESTION.text, with_related=False)
    assert outcome.card.levels == alone.levels and outcome.card.flags == alone.flags
    stored = storage.transcripts.get_attempt(actor, outcome.attempt.id)  # type: ignore[attr-defined]
    assert stored.status == "scored" and stored.answer == ANSWER


def test_an_off_topic_card_says_nothing_of_an_unreachable_library(scorer_settings: Settings) -> None:
    # An off-topic card shows no related cases, so it has none to miss: the scorer does not look for them.
    def unreachable() -> Callable[[str, int], list[Related]]:
        raise ConnectionError("the case library cannot be reached")

    scorer = NotingScorer(make_scorer(scorer_settings, related=GuardedFinder(unreachable)))
    on_topic = scorer.score(ANSWER, question=QUESTION.text)
    assert RELATED_UNAVAILABLE in on_topic.notes
    recipe = scorer.score(OFF_TOPIC, question=QUESTION.text)
    assert Flag.OFF_TOPIC in recipe.flags and recipe.related == ()
    assert RELATED_UNAVAILABLE not in recipe.notes


def test_chroma_server_stopped_and_back(
    settings: Settings, scorer_settings: Settings, stoppable_chroma: ChromaServer, tmp_path: Path
) -> None:
    remote = settings.model_copy(
        update={"chroma_host": "127.0.0.1", "chroma_port": stoppable_chroma.port,
                "data_dir": scorer_settings.data_dir}
    )  # fmt: skip
    docs, _ = load_documents(CORPUS)  # a small index: the cases about promo codes, enough to be related
    vocab = load_vocabulary(CORPUS)
    records = [
        r
        for d in docs
        if "promo" in " ".join(d.sections.values()).lower() or d.kind == "pattern"
        for r in chunk_document(d, vocab)
    ]
    make_vector_store(remote).add(records)
    scorer, storage, actor = _wired(remote, tmp_path)
    practice = make_practice(storage.transcripts, lambda: scorer)  # type: ignore[attr-defined]

    up = practice.submit(actor, QUESTION, ANSWER)
    assert up.card is not None and up.card.related and RELATED_UNAVAILABLE not in up.card.notes

    stoppable_chroma.stop()
    down = practice.submit(actor, QUESTION, ANSWER + " Again.")
    assert down.card is not None and down.error is None
    assert RELATED_UNAVAILABLE in down.card.notes and down.card.related == ()
    assert down.card.levels == up.card.levels
    assert [a.status for a in storage.transcripts.list_attempts(actor)] == ["scored", "scored"]  # type: ignore[attr-defined]
