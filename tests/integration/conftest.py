"""Fixtures for the LLM tests: one trained built-in scorer per session and a scripted OpenAI-compatible server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydantic import SecretStr

from coach.config import PROJECT_ROOT, Settings
from coach.scorecard import Related
from coach.scorer import Scorer, make_scorer, scorer_dir, training_fingerprint
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
    meta = built / "meta.json"
    if meta.exists() and json.loads(meta.read_text()).get("version") == training_fingerprint(settings):
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
