"""Shared fixtures: isolated settings and data dirs, the real embedding model, a real index."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.config import PROJECT_ROOT, Settings, get_settings

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ONNX graph, built once per test session from the packaged weights (about a second)."""
    from coach import encoder

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
    from coach.library import make_library

    data = tmp_path_factory.mktemp("library-data")
    return make_library(Settings(data_dir=data, model_path=model_dir, corpus_dir=CORPUS))
