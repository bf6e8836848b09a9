"""Two app servers on one PostgreSQL and one Chroma server (issue 15, scale-out), driven in Chromium.

Real parts: a `chroma run` server on 127.0.0.1, a database of its own on the PostgreSQL server at
127.0.0.1:5432 (created here, dropped after), and two `streamlit run app.py` processes on two ports, each with
a data dir of its own holding only the trained scorer, both with the same COACH_DATABASE_URL and
COACH_CHROMA_HOST/PORT, as docs/deploy.md describes. Everything is done through the browser:
- a candidate's answer, scored and saved through server A, is in the reviewer's queue on server B;
- a trainer's case uploaded through server A is found by a library search on server B.

The Chroma server is seeded with the shipped corpus's chunks and their vectors from the index `make test`
built (embedding them again would take most of the time budget); without that index they are embedded here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from coach.config import PROJECT_ROOT, Settings
from coach.storage.store import make_storage
from tests.conftest import CORPUS
from tests.e2e.conftest import ARTIFACTS, EMAIL, PASSWORD, Server, prepare_data, serve
from tests.e2e.test_trainer_flow import CASE, TITLE, sign_in_as
from tests.integration.test_chroma_server import chroma_server  # noqa: F401  (a fixture)
from tests.postgres import scratch_database
from tests.unit.test_extraction import make_pdf

pytestmark = pytest.mark.e2e

ANSWER = (
    "As head of growth at a budgeting app I led a six-week Instagram campaign for student sign-ups. We reached "
    "3,100 against a 10,000 target; the channel choice was mine. The funnel showed 78% of mobile visitors left "
    "the landing page. I learned to test the whole funnel on real phones; on the next launch sign-ups beat the "
    "target by 12%. Replica check: plum-kestrel."
)
REVIEWER, TRAINER = "replica-reviewer@acme.example", "replica-trainer@acme.example"


@pytest.fixture
def database() -> Iterator[str]:
    """A database of its own on the PostgreSQL server, dropped afterwards."""
    with scratch_database("coach_replicas") as url:
        yield url


def _seed_index(settings: Settings) -> None:
    """The shipped corpus's chunks, with their vectors, from the embedded index into the Chroma server."""
    import chromadb

    from coach.retrieval.library import sync_index
    from coach.retrieval.vectorstore import chroma_embedding_function, make_vector_store

    built = PROJECT_ROOT / "data" / "chroma"
    if built.is_dir():
        make_vector_store(settings)  # creates the collection as the app opens it
        function = chroma_embedding_function(settings)
        source = chromadb.PersistentClient(path=str(built)).get_collection(
            settings.collection, embedding_function=function
        )
        got: Any = source.get(include=["embeddings", "documents", "metadatas"])
        keep = [i for i, m in enumerate(got["metadatas"] or []) if not m.get("org")]  # shipped chunks only
        target = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port).get_collection(
            settings.collection, embedding_function=function
        )
        target.add(
            ids=[got["ids"][i] for i in keep],
            embeddings=[got["embeddings"][i] for i in keep],
            documents=[got["documents"][i] for i in keep],
            metadatas=[got["metadatas"][i] for i in keep],
        )
    sync_index(settings)  # whatever changed since that index was built (everything, without it)


def test_two_replicas_share_attempts_and_cases(
    browser: Any,
    chroma_server: int,  # noqa: F811
    database: str,
    tmp_path: Path,
    model_dir: Path,
    scorer_settings: Settings,
) -> None:
    shared = {
        "COACH_DATABASE_URL": database,
        "COACH_CHROMA_HOST": "127.0.0.1",
        "COACH_CHROMA_PORT": str(chroma_server),
        "COACH_SHARE_BY_DEFAULT": "true",  # Acme's attempts go to its reviewers unless a candidate unshares
    }
    env_a = prepare_data(tmp_path / "a", model_dir, scorer_settings, **shared)  # migrates, adds the candidate
    shutil.copytree(tmp_path / "a" / "scorer", tmp_path / "b" / "scorer")
    env_b = {**env_a, "COACH_DATA_DIR": str(tmp_path / "b")}
    settings = Settings(
        data_dir=tmp_path / "a",
        model_path=model_dir,
        corpus_dir=CORPUS,
        database_url=database,
        chroma_host="127.0.0.1",
        chroma_port=chroma_server,
        argon2_time_cost=1,
        argon2_memory_kib=8192,
    )
    _seed_index(settings)
    storage = make_storage(settings)
    for email, role in ((REVIEWER, "reviewer"), (TRAINER, "trainer")):
        storage.accounts.create_user_from_shell("Acme", email, role, PASSWORD)
    storage.close()
    pdf = tmp_path / "quillfeather.pdf"
    pdf.write_bytes(make_pdf(CASE))

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        a: Server = stack.enter_context(serve(env_a, tmp_path / "a", ARTIFACTS / "replica-a.log"))
        b: Server = stack.enter_context(serve(env_b, tmp_path / "b", ARTIFACTS / "replica-b.log"))
        context = stack.enter_context(_context(browser))
        page = context.new_page()
        page.set_default_timeout(60_000)

        # Through A: a candidate answers; the answer is scored and saved.
        sign_in_as(page, a, EMAIL, "Practice")
        box = page.get_by_role("textbox", name="Your answer")
        box.fill(ANSWER)
        box.press("Control+Enter")
        page.get_by_text(f"{len(ANSWER.split())} words", exact=False).first.wait_for()
        page.get_by_role("button", name="Score my answer").click()
        page.get_by_role("heading", name="Scorecard", exact=True).wait_for()

        # Through B: the reviewer's queue has it, and it opens for review.
        reviewer = stack.enter_context(_context(browser)).new_page()
        reviewer.set_default_timeout(60_000)
        sign_in_as(reviewer, b, REVIEWER, "Review")
        reviewer.get_by_text(EMAIL).first.wait_for(state="attached")  # a cell of the queue's table
        reviewer.screenshot(path=str(ARTIFACTS / "replica-b-review-queue.png"), full_page=True)

        # Through A: a trainer uploads a case; through B, a library search finds it.
        trainer = stack.enter_context(_context(browser)).new_page()
        trainer.set_default_timeout(60_000)
        sign_in_as(trainer, a, TRAINER, "Case library")
        trainer.get_by_role("link", name="Cases").click()
        trainer.get_by_role("heading", name="Cases", exact=True).wait_for()
        trainer.get_by_role("tab", name="Upload files").click()
        trainer.locator("input[type=file]").set_input_files(str(pdf))
        trainer.get_by_role("button", name="Save this case").click()
        trainer.get_by_text(f"Saved “{TITLE}”", exact=False).wait_for()

        searcher = stack.enter_context(_context(browser)).new_page()
        searcher.set_default_timeout(60_000)
        sign_in_as(searcher, b, TRAINER, "Case library")
        search = searcher.get_by_label("Search")
        search.fill("an ink refill club that cost more than buying the bottles one by one")
        search.press("Enter")
        searcher.get_by_text(f"{TITLE}", exact=False).first.wait_for()
        searcher.get_by_text("your organisation's case", exact=False).first.wait_for()
        searcher.screenshot(path=str(ARTIFACTS / "replica-b-library.png"), full_page=True)

    storage = make_storage(settings)
    try:
        reviewer_actor = storage.accounts.sign_in(REVIEWER, PASSWORD).actor
        (attempt,) = storage.transcripts.list_shared_attempts(reviewer_actor)
        assert attempt.answer == ANSWER and attempt.status == "scored"
    finally:
        storage.close()


def _context(browser: Any) -> Any:
    """A browser context closed when the `with` ends."""
    from contextlib import closing

    return closing(browser.new_context(viewport={"width": 1400, "height": 1000}))
