"""Integration fixtures: a clocked SQLite storage, stored scorecards, one trained built-in scorer per session and a
scripted OpenAI-compatible server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from coach.config import PROJECT_ROOT, Settings
from coach.practice.workflow import TURNS_KEY
from coach.rubric import COMPONENTS
from coach.scorecard import ComponentScore, Related, Scorecard
from coach.scoring.lifecycle import is_fresh, make_scorer, scorer_dir
from coach.scoring.scorer import Scorer
from coach.storage.store import Storage, make_storage
from tests.conftest import CORPUS
from tests.fake_openai import FakeOpenAI

RELATED = [
    Related(
        "timing-lost-in-noise",
        "Launch lost in holiday noise",
        "pattern",
        "The send went out in the busiest week.",
    ),
    Related(
        "case-one",
        "The meal kit that missed its audience",
        "case",
        "Paid social reached the wrong age group.",
    ),
    Related("case-two", "The influencer reach trap", "case", "Reach without relevance did not convert."),
]


def related_stub(query: str, k: int) -> list[Related]:
    """Stands in for the case library (whose index takes a minute to build): fixed cases and a pattern."""
    return RELATED[: k + 1]


@pytest.fixture(scope="session")
def llm_scorer_settings(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Settings:
    """A data dir holding a trained scorer: `make test`'s own when it is current, else trained here once."""
    data = tmp_path_factory.mktemp("llm-data")
    settings = Settings(data_dir=data, model_path=model_dir, corpus_dir=CORPUS)
    built = PROJECT_ROOT / "data" / "scorer"
    if is_fresh(settings, built):
        shutil.copytree(built, scorer_dir(settings))
    return settings


@pytest.fixture(scope="session")
def builtin_scorer(llm_scorer_settings: Settings) -> Scorer:
    return make_scorer(llm_scorer_settings, related=related_stub)


@pytest.fixture
def llm_settings(llm_scorer_settings: Settings, fake_llm: FakeOpenAI) -> Settings:
    """Settings pointing the LLM at the scripted server, with a short timeout to keep the suite fast."""
    return llm_scorer_settings.model_copy(
        update={
            "llm_model": "scripted-judge",
            "llm_base_url": fake_llm.url,
            "llm_api_key": SecretStr("sk-test-not-real"),
            "llm_timeout": 1.0,
            "llm_max_retries": 2,
        }
    )


class Clock:
    """A settable clock for the storage: tests move time on by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def stored_card_dict(*levels: int, refused: str | None = None) -> dict[str, object]:
    """A scorecard as the storage keeps it, with the given level per component."""
    card = Scorecard(
        overall=round(sum(levels) / 5 * 25),
        components={
            c: ComponentScore(v, (f"evidence {c}",), f"feedback {c}")
            for c, v in zip(COMPONENTS, levels, strict=True)
        },
        flags=("no_metrics",),
        follow_up="Why?",
        scorer="builtin-test",
        refused=refused,
        word_count=42,
    )
    return {**card.to_dict(), TURNS_KEY: 0}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def storage(tmp_path: Path, clock: Clock) -> Iterator[Storage]:
    """A fresh SQLite storage on the test clock (fast password hashing)."""
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'coach.db'}",
        argon2_time_cost=1,
        argon2_memory_kib=8192,
    )
    built = make_storage(settings, clock=clock)
    yield built
    built.close()
