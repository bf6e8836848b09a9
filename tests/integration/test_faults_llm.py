"""Faults (issue 15): the LLM endpoint down, slow, or talking garbage while a candidate submits an answer.

Through the practice workflow the page calls, with the real built-in scorer and a real SQLite database:
the candidate gets the built-in scorecard, marked with why the LLM's part is missing, and the answer is
stored and scored. (tests/app/test_practice_llm.py shows the same fallback on the page for a 500 and a
timeout.)
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from coach.config import Settings
from coach.llm.reviewer import ReviewingScorer
from coach.practice.workflow import make_practice
from coach.retrieval.corpus import Question
from coach.scoring.scorer import Scorer
from coach.storage.permissions import Actor
from coach.storage.store import Storage, make_storage
from tests.fake_openai import FakeOpenAI, Reply

QUESTION = Question("failed-campaign", "Explain a digital marketing campaign you led that failed.")
ANSWER = (
    "I led a paid social campaign for our meal kit launch that missed its sign-up goal by 40%. We targeted "
    "the wrong age group because I trusted last year's audience data. The post-mortem showed most sign-ups "
    "came from email instead. I learned to test the audience with a small budget first, and on the next "
    "launch we ran a two-week test before spending the rest, and beat the target by 12%."
)


@pytest.fixture
def storage(tmp_path: Path) -> Storage:
    return make_storage(
        Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'coach.db'}", argon2_time_cost=1,
                 argon2_memory_kib=8192)
    )  # fmt: skip


@pytest.fixture
def actor(storage: Storage) -> Actor:
    member = storage.accounts.create_user_from_shell("Acme", "c@acme.example", "candidate", "long-password-1")
    return Actor(member.id, member.organisation_id, member.role, member.email)


def _llm(settings: Settings, base_url: str, timeout: float = 1.0) -> Settings:
    return settings.model_copy(
        update={"llm_model": "scripted-judge", "llm_base_url": base_url, "llm_timeout": timeout,
                "llm_max_retries": 1, "llm_api_key": None}
    )  # fmt: skip


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again on return: nothing listens there


def _submit_and_check(storage: Storage, actor: Actor, scorer: Scorer, settings: Settings) -> str:
    outcome = make_practice(storage.transcripts, lambda: ReviewingScorer(scorer, settings)).submit(
        actor, QUESTION, ANSWER
    )
    assert outcome.card is not None and outcome.error is None
    builtin = scorer.score(ANSWER, question=QUESTION.text)
    assert outcome.card.levels == builtin.levels and outcome.card.overall == builtin.overall
    assert outcome.card.llm is not None and outcome.card.llm.status == "fallback"
    (saved,) = storage.transcripts.list_attempts(actor)
    stored = storage.transcripts.get_attempt(actor, saved.id)
    assert stored.answer == ANSWER and stored.status == "scored"
    assert stored.latest_scorecard is not None
    assert stored.latest_scorecard.result["llm"]["status"] == "fallback"
    return str(outcome.card.llm.reason)


def test_llm_endpoint_down(storage: Storage, actor: Actor, scorer: Scorer, settings: Settings) -> None:
    reason = _submit_and_check(
        storage, actor, scorer, _llm(settings, f"http://127.0.0.1:{_closed_port()}/v1")
    )
    assert reason == "connection"


def test_llm_endpoint_slow(
    storage: Storage, actor: Actor, scorer: Scorer, settings: Settings, fake_llm: FakeOpenAI
) -> None:
    fake_llm.script("JudgeVerdict", Reply.json({}, delay=2.0))
    fake_llm.script("RewrittenAnswer", Reply.json({}, delay=2.0))
    assert _submit_and_check(storage, actor, scorer, _llm(settings, fake_llm.url, timeout=0.5)) == "timeout"


@pytest.mark.parametrize(
    "garbage",
    [
        Reply.text("<html><body>502 Bad Gateway</body></html>"),  # not JSON at all
        Reply.json({"levels": "all of them", "verdict": [1, 2, 3]}),  # JSON, wrong shape
        Reply.text("\x00\x01\ufffd" * 50),  # binary noise
    ],
    ids=["html", "wrong-json", "binary"],
)
def test_llm_endpoint_talking_garbage(
    storage: Storage, actor: Actor, scorer: Scorer, settings: Settings, fake_llm: FakeOpenAI, garbage: Reply
) -> None:
    fake_llm.script("JudgeVerdict", garbage, garbage, garbage)
    fake_llm.script("RewrittenAnswer", garbage, garbage, garbage)
    assert _submit_and_check(storage, actor, scorer, _llm(settings, fake_llm.url)) == "invalid_output"
