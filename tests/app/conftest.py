"""App tests run the real pages in-process against one indexed data dir per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager

from coach.config import Settings, get_settings
from coach.storage.store import Storage, make_storage
from tests.conftest import CORPUS

PASSWORD = "practice-makes-perfect"


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


@pytest.fixture(autouse=True)
def navigation_through_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every AppTest run through streamlit_app.py and its st.navigation, as a live server does.

    AppTest resets PagesManager.uses_pages_directory before each run; with a pages/ folder beside the
    app, Streamlit then takes its older multipage mode and, after the first run, executes the current
    page's file directly, skipping streamlit_app.py (and its sign-in gate and role-based page list). A
    live server runs that mode at most once: st.navigation switches it off for good.
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(scope="session")
def app_index(app_env: Path) -> Path:
    """The case library indexed once, before any page run: building it can outlast an AppTest timeout."""
    from coach.retrieval.library import sync_index

    sync_index()
    return app_env


@pytest.fixture(scope="session")
def app_scorer(app_index: Path, scorer_settings: Settings) -> Path:
    """The trained scorer copied into the app's data dir, so no page run trains one (about 30 s)."""
    from coach.scoring.lifecycle import scorer_dir

    shutil.copytree(scorer_dir(scorer_settings), app_index / "scorer", dirs_exist_ok=True)
    return app_index


@pytest.fixture
def app_storage(app_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Storage]:
    """An empty database of its own for one test; the app under test opens the same one."""
    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("COACH_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("COACH_ARGON2_MEMORY_KIB", "8192")
    get_settings.cache_clear()
    storage = make_storage(get_settings())
    yield storage
    storage.close()
    get_settings.cache_clear()


SessionFor = Callable[[str], str]


@pytest.fixture
def session_for(app_storage: Storage) -> SessionFor:
    """A session token for a new user of the given role in the organisation "Acme"."""

    def make(role: str) -> str:
        email = f"{role}@acme.example"
        app_storage.accounts.create_user_from_shell("Acme", email, role, PASSWORD)
        return app_storage.accounts.sign_in(email, PASSWORD).token

    return make
