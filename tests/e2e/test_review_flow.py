"""A blind review in a real headless Chromium against `streamlit run`: from the queue, levels and a comment
entered with the coach hidden, the side-by-side view with the gap marked, the reason, the saved review, and the
PDF for the hiring file (opened with pypdf, its first page rendered with pdftoppm); screenshots throughout."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Any

import pytest
from pypdf import PdfReader

from coach.config import Settings
from coach.rubric import COMPONENTS, overall
from coach.storage.store import make_storage
from tests.e2e.conftest import ARTIFACTS, PASSWORD, Server, Tab
from tests.e2e.test_practice_flow import heading, shot

pytestmark = pytest.mark.e2e

REVIEWER, CANDIDATE = "reviewer@acme.example", "shared-candidate@acme.example"
ANSWER = (
    "As head of growth at a budgeting app I led a six-week Instagram campaign for student sign-ups. We reached "
    "3,100 against a 10,000 target; the channel choice was mine. The funnel showed 78% of mobile visitors left "
    "the landing page. I learned to test the whole funnel on real phones; on the next launch sign-ups beat the "
    "target by 12%. <script>alert('x')</script>"
)
COACH = (4, 4, 2, 3, 2)  # the reviewer gives analyze 4: a gap of two


def _card(levels: tuple[int, ...]) -> dict[str, Any]:
    return {
        "overall": overall(dict(zip(COMPONENTS, levels, strict=True))),
        "components": {
            c: {"level": v, "evidence": ["We reached 3,100 against a 10,000 target"], "feedback": f"On {c}."}
            for c, v in zip(COMPONENTS, levels, strict=True)
        },
        "flags": ["too_short"],
        "follow_up": "What did the data show?",
        "related": [],
        "scorer": "builtin-e2e",
        "refused": None,
        "notes": [],
        "word_count": 80,
        "failure_mode": None,
        "exemplar": None,
    }


@pytest.fixture
def shared_attempt(server: Server) -> int:
    """A reviewer and a second candidate with one shared, scored attempt, in the served app's database."""
    storage = make_storage(Settings(data_dir=server.data_dir, argon2_time_cost=1, argon2_memory_kib=8192))
    try:
        storage.accounts.create_user_from_shell("Acme", REVIEWER, "reviewer", PASSWORD)
        storage.accounts.create_user_from_shell("Acme", CANDIDATE, "candidate", PASSWORD)
        candidate = storage.accounts.sign_in(CANDIDATE, PASSWORD).actor
        attempt_id = storage.transcripts.save_attempt(
            candidate,
            question_id="failed-campaign",
            question_text="Explain a digital marketing campaign you led that failed.",
            answer=ANSWER,
            shared=True,
        )
        storage.transcripts.record_scorecard(candidate, attempt_id, _card(COACH), "builtin-e2e")
        return attempt_id
    finally:
        storage.close()


def _level(page: Any, component: str, level: int) -> None:
    page.get_by_role("radiogroup", name=component).get_by_text(str(level), exact=True).click()


def test_a_blind_review_from_the_queue_to_the_pdf(tab: Tab, server: Server, shared_attempt: int) -> None:
    page = tab.page
    page.goto(server.url)
    heading(page, "Sign in").wait_for()
    page.get_by_label("Email").fill(REVIEWER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    heading(page, "Review").wait_for()
    page.get_by_text("Blind review: the coach's levels, flags and highlights are hidden").wait_for()
    assert page.locator("mark.coach-evidence").count() == 0  # no highlights while blind
    assert page.get_by_text("The coach's scorecard").count() == 0
    assert page.get_by_text("<script>alert('x')</script>", exact=False).count() >= 1  # shown as typed
    assert tab.dialogs == []
    shot(page, "review-01-queue-blind")

    for name, level in zip(
        ["Describe", "Acknowledge", "Analyze", "Learn", "Apply"], [4, 4, 4, 3, 2], strict=True
    ):
        _level(page, name, level)
    page.get_by_label(re.compile("Comment for the hiring team")).fill(
        "Clear ownership; the analysis is the best part."
    )
    shot(page, "review-02-levels-entered")
    page.get_by_role("button", name="Save and compare with the coach").click()

    heading(page, "Your levels beside the coach's").wait_for()
    page.get_by_text("Your levels are sealed").wait_for()
    page.get_by_text("The coach's scorecard: 75/100").wait_for()
    shot(page, "review-03-side-by-side-reason-needed")
    page.get_by_label(re.compile("Why Analyze")).fill(
        "She names the landing page as the cause, with the number."
    )
    page.get_by_role("button", name="Save my review").click()
    page.get_by_text("Review saved").wait_for()
    heading(page, "Your review beside the coach's and the other reviewers'").wait_for()
    shot(page, "review-04-saved")

    with page.expect_download() as download:
        page.get_by_role("button", name="PDF for the hiring file").click()
    pdf_path = ARTIFACTS / "review-attempt.pdf"
    download.value.save_as(pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for expected in (
        "Hiring review",
        CANDIDATE,
        "Explain a digital marketing campaign you led that failed.",
        "78% of mobile visitors left",
        "Overall 75/100",
        REVIEWER,
        "Clear ownership; the analysis is the best part.",
        "Why Analyze differs from the coach: She names the landing page as the cause, with the number.",
        "entered blind",
    ):
        assert expected in text, expected
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf_path),
                str(ARTIFACTS / "review-pdf-page"),
            ],
            check=True,
        )
        assert (ARTIFACTS / "review-pdf-page-1.png").stat().st_size > 10_000
    assert tab.dialogs == []
