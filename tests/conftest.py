"""Shared fixtures: isolated settings and data dirs, the real embedding model, a real index.

Also the Hypothesis profiles, loaded here so that every test module's `@settings` starts from them:
- "ci" (chosen when CI=true): a fixed seed per test (derandomize) and no example database, so a fresh
  clone runs exactly the examples any other run does; a failure prints the blob that reproduces it.
- "dev" (otherwise): Hypothesis's defaults, random examples, failures remembered in .hypothesis/
  (git-ignored) and tried first next time.
- "fuzz" (`make fuzz`): many more random examples, for exploring; what it finds is remembered as in "dev".
HYPOTHESIS_PROFILE=<name> picks one explicitly, and pytest's --hypothesis-profile overrides both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from coach.config import PROJECT_ROOT, Settings, get_settings
from coach.llm import client as llm_client
from tests.fake_openai import FakeOpenAI

CORPUS = PROJECT_ROOT / "corpus"

# Each starts from Hypothesis's own defaults: importing hypothesis may already have loaded its built-in
# "ci" profile (it does whenever a CI variable is set, even CI=false), and "fuzz" must not inherit that.
_DEFAULTS = hypothesis_settings.get_profile("default")
hypothesis_settings.register_profile(
    "ci", _DEFAULTS, derandomize=True, database=None, print_blob=True, deadline=None
)
hypothesis_settings.register_profile("dev", _DEFAULTS)
hypothesis_settings.register_profile("fuzz", _DEFAULTS, max_examples=2000, deadline=None, print_blob=True)


def hypothesis_profile(environ: Mapping[str, str] = os.environ) -> str:
    """The profile for this run: HYPOTHESIS_PROFILE if set, else "ci" under CI=true, else "dev"."""
    if environ.get("HYPOTHESIS_PROFILE"):
        return environ["HYPOTHESIS_PROFILE"]
    return "ci" if environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev"


hypothesis_settings.load_profile(hypothesis_profile())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every Hypothesis test is a `property` test: `make fuzz` selects them with -m property."""
    from hypothesis import is_hypothesis_test

    for item in items:
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.obj):
            item.add_marker(pytest.mark.property)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ONNX graph, built once per test session from the packaged weights (about a second)."""
    from coach.embeddings import encoder

    built = PROJECT_ROOT / "data" / "model"
    if (built / encoder.GRAPH_NAME).exists():
        return built  # `make test` prepared it already; prepare() below re-checks its stamp
    path = tmp_path_factory.mktemp("model")
    encoder.prepare(path)
    return path


@pytest.fixture
def settings(tmp_path: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings pointing at a fresh data dir, also seen by code that calls get_settings()."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_MODEL_PATH", str(model_dir))
    monkeypatch.setenv("COACH_CORPUS_DIR", str(CORPUS))
    monkeypatch.delenv("COACH_CHROMA_HOST", raising=False)
    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the real corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory, model_dir: Path):
    """The real corpus indexed once into a real embedded Chroma, shared by read-only tests."""
    from coach.retrieval.library import make_library

    data = tmp_path_factory.mktemp("library-data")
    return make_library(Settings(data_dir=data, model_path=model_dir, corpus_dir=CORPUS))


@pytest.fixture(scope="session")
def scorer_settings(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Settings:
    """Settings whose data dir holds a trained scorer: the one `make test` prepared, else trained here."""
    from coach.scoring.lifecycle import is_fresh, train_and_save

    project = Settings(data_dir=PROJECT_ROOT / "data", model_path=model_dir, corpus_dir=CORPUS)
    if is_fresh(project):
        return project
    fresh = Settings(data_dir=tmp_path_factory.mktemp("scorer-data"), model_path=model_dir, corpus_dir=CORPUS)
    train_and_save(fresh)
    return fresh


@pytest.fixture(scope="session")
def scorer(scorer_settings: Settings):
    """The built-in scorer without retrieval (fast); see `scorer_with_library` for related cases."""
    from coach.scoring.lifecycle import make_scorer

    return make_scorer(scorer_settings)


@pytest.fixture(scope="session")
def scorer_with_library(scorer_settings: Settings, library):
    from coach.retrieval.library import library_finder
    from coach.scoring.lifecycle import make_scorer

    return make_scorer(scorer_settings, related=library_finder(library))


@pytest.fixture(scope="session")
def openai_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def fake_llm(openai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    """The scripted server, emptied for this test; retries back off in milliseconds, not seconds."""
    openai_server.reset()
    monkeypatch.setattr(llm_client, "BACKOFF_SECONDS", 0.01)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return openai_server
