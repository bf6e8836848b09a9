"""App tests run the real pages in-process against one indexed data dir per session.

The helpers below are the one copy of what every page test does: open the app as a user (optionally on
a page), find a widget by its label, click and re-run, read the rendered HTML, seed attempts.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button, TextArea

from coach.config import PROJECT_ROOT, Settings, get_settings
from coach.practice.workflow import TURNS_KEY
from coach.rubric import COMPONENTS
from coach.scorecard import ComponentScore, Scorecard
from coach.storage.permissions import Actor
from coach.storage.store import Storage, make_storage
from tests.conftest import CORPUS

PASSWORD = "practice-makes-perfect"
APP = str(PROJECT_ROOT / "streamlit_app.py")
TOKEN = "coach_session_token"  # the session-state key that carries a signed-in user's session
# A page run that scores an answer loads the scorer and searches the index; a busy machine needs the room.
TIMEOUT = 90
EXAMPLE_1 = (PROJECT_ROOT / "tests" / "data" / "rubric_example_1.txt").read_text().strip()
NAMES = ["Describe", "Acknowledge", "Analyze", "Learn", "Apply"]


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
    """The case library indexed once, before any page run: building it can outlast an AppTest timeout.

    The index `make test` built in data/ is copied in first, so only what changed since is embedded
    again (from scratch it takes minutes on a busy machine). An organisation's cases in that copy are
    someone's own work, not the corpus: they are dropped.
    """
    from coach.retrieval.indexing import ORG_KEY, SHIPPED
    from coach.retrieval.library import sync_index
    from coach.retrieval.vectorstore import make_vector_store

    built = PROJECT_ROOT / "data" / "chroma"
    if built.is_dir():
        shutil.copytree(built, app_env / "chroma", dirs_exist_ok=True)
        store = make_vector_store(get_settings())
        own = {str(r.meta.get("doc_id")) for r in store.all() if r.meta.get(ORG_KEY, SHIPPED) != SHIPPED}
        for doc_id in own:
            store.delete_where("doc_id", doc_id)
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


@pytest.fixture
def candidate(session_for: SessionFor, app_scorer: Path) -> str:
    """The session token of a signed-in candidate, with a trained scorer in place for the pages."""
    return session_for("candidate")


# -- driving the app ---------------------------------------------------------------------------------------


def ok(at: AppTest) -> AppTest:
    """The app after a run, failing the test if the run raised (AppTest keeps a page's exception)."""
    assert not at.exception, at.exception
    return at


def open_app(
    token: str | None = None, *, page: str | None = None, user: dict[str, object] | None = None
) -> AppTest:
    """The app as a browser first opens it: signed in with `token` (or not), as `st.user` says (single
    sign-on), then switched to `page` (e.g. "pages/history.py") if given."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if token:
        at.session_state[TOKEN] = token
    if user is not None:
        at.user = user
    ok(at.run())
    return at if page is None else ok(at.switch_page(page).run())


def title(at: AppTest) -> str:
    return str(at.title[0].value)


def button(at: AppTest, label: str) -> Button:
    """The one button with this label (fails, listing the labels, if there is not exactly one)."""
    matches = [b for b in at.button if b.label == label]
    assert len(matches) == 1, (label, [b.label for b in at.button])
    return matches[0]


def click(at: AppTest, label: str) -> AppTest:
    return ok(button(at, label).click().run())


def text_area(at: AppTest, label: str) -> TextArea:
    matches = [t for t in at.text_area if t.label == label]
    assert len(matches) == 1, (label, [t.label for t in at.text_area])
    return matches[0]


def fill(at: AppTest, **fields: str) -> AppTest:
    """Type into text inputs by label (or its start); underscores in the keyword stand for spaces."""
    for label, value in fields.items():
        wanted = label.replace("_", " ").lower()
        matches = [t for t in at.text_input if t.label.lower() == wanted] or [
            t for t in at.text_input if t.label.lower().startswith(wanted)
        ]
        assert len(matches) == 1, (wanted, [t.label for t in at.text_input])
        matches[0].input(value)
    return at


class AnswerBox:
    """The Practice page's answer box (pages/_answer_box.py), a custom component AppTest cannot type into.

    In a browser the box reports its text as the candidate types; here `input` reports it the same way, through
    the component's state in the session, and the page reads it on the next run as it would."""

    def __init__(self, at: AppTest) -> None:
        boxes = [e for e in at.get("bidi_component") if str(e.key or "").startswith("practice_answer_box")]
        assert len(boxes) == 1, [e.key for e in at.get("bidi_component")]
        self._at, self._element = at, boxes[0]

    @property
    def data(self) -> dict[str, Any]:
        """What the page sent the browser: the label, the text to show, the word band, the seconds elapsed."""
        return dict(json.loads(self._element.proto.json))

    @property
    def value(self) -> str:
        """The text as the page holds it after the last run (what the browser reported, or what the page set)."""
        return str(self._at.session_state["practice_answer"])

    def input(self, text: str) -> AppTest:
        self._at.session_state[str(self._element.key)] = {"text": text}
        return self._at


def answer_box(at: AppTest) -> AnswerBox:
    return AnswerBox(at)


def submit_answer(at: AppTest, text: str) -> AppTest:
    """Type `text` as the answer on the Practice page and score it."""
    answer_box(at).input(text)
    return click(at, "Score my answer")


def html_of(at: AppTest) -> str:
    """Everything the run rendered through st.html, where answers and evidence are shown."""
    return "\n".join(h.value for h in at.get("html"))


# -- seeding the database ----------------------------------------------------------------------------------


def actor_of(storage: Storage, token: str) -> Actor:
    found = storage.accounts.authenticate(token)
    assert found is not None
    return found


def scored_result(
    *levels: int, evidence: tuple[str, ...] = (), flags: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A stored scorecard with these five levels, as the practice flow records it (no follow-up yet)."""
    card = Scorecard(
        overall=round(sum(levels) / 5 * 25),
        components={
            c: ComponentScore(v, evidence, f"Coaching {c}.") for c, v in zip(COMPONENTS, levels, strict=True)
        },
        flags=flags,
        follow_up="What did the data show?",
        scorer="builtin-test",
    )
    return {**card.to_dict(), TURNS_KEY: 0}


def seed_attempt(
    storage: Storage,
    actor: Actor,
    question_id: str,
    answer: str,
    levels: tuple[int, ...] = (),
    *,
    question_text: str | None = None,
    shared: bool | None = None,
    evidence: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
) -> int:
    """An attempt saved as the candidate would, then scored with `levels` if given (else left unscored)."""
    attempt_id = storage.transcripts.save_attempt(
        actor,
        question_id=question_id,
        question_text=question_text or f"Text of {question_id}",
        answer=answer,
        shared=shared,
    )
    if levels:
        result = scored_result(*levels, evidence=evidence, flags=flags)
        storage.transcripts.record_scorecard(actor, attempt_id, result, "builtin-test")
    return attempt_id
