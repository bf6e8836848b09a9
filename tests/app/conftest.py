"""App tests run the real pages in-process against one indexed data dir per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.config import get_settings
from tests.conftest import CORPUS


@pytest.fixture(scope="session")
def app_env(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("app-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COACH_DATA_DIR", str(data))
        mp.setenv("COACH_MODEL_PATH", str(model_dir))
        mp.setenv("COACH_CORPUS_DIR", str(CORPUS))
        mp.delenv("COACH_CHROMA_HOST", raising=False)
        mp.delenv("COACH_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        yield data
    get_settings.cache_clear()
