"""The trainer workspace in Chromium against `streamlit run`: a trainer uploads a PDF case; a candidate of the
cohort sees the assignment first on Practice, rehearses with that case, and finds it among the related cases
of the scorecard."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from coach.config import Settings
from coach.storage.assignments import AssignedItem
from coach.storage.permissions import Actor
from coach.storage.store import make_storage
from tests.e2e.conftest import ARTIFACTS, EMAIL, PASSWORD, Server, Timings
from tests.unit.test_extraction import make_pdf

pytestmark = pytest.mark.e2e

TRAINER = "trainer@acme.example"
TITLE = "Quillfeather pens: the refill club nobody joined"
CASE = [
    ("title", TITLE),
    ("field", "Brand: Quillfeather"),
    ("field", "Year: 2023"),
    ("field", "Channels: email, paid-social"),
    ("field", "Failure modes: weak-offer"),
    ("heading", "Goal"),
    ("text", "Sign 5,000 fountain-pen owners up to a monthly ink refill club in one quarter."),
    ("heading", "What happened"),
    (
        "text",
        "The refill club launched by email and paid social; 212 people joined, four percent of the target.",
    ),
    ("heading", "What went wrong"),
    (
        "text",
        "The club price was higher than buying ink bottles one by one, so the offer saved nobody money.",
    ),
]
ANSWER = (
    "As head of growth at a stationery brand I led the launch of a monthly ink refill club for fountain pen "
    "owners. The goal was 5,000 members in one quarter through email and paid social. We reached 212 members, "
    "four percent of the target, and the decision on price was mine. The post-mortem showed the refill club "
    "cost more than buying ink bottles one by one, so the offer saved nobody money; survey replies said so "
    "plainly. I learned to price a subscription against what customers already pay, not against our margin. "
    "On the next launch, a notebook subscription, I tested three price points with 2,000 customers first, and "
    "the winning price beat its sign-up target by 18 percent."
)


def sign_in_as(page: Any, server: Server, email: str, lands_on: str) -> None:
    page.goto(server.url)
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name=lands_on, exact=True).wait_for()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_trainer_uploads_a_case_and_a_cohort_candidate_rehearses_with_it(
    browser: Any, server: Server, first_paint: float, timings: Timings, tmp_path: Path
) -> None:
    settings = Settings(data_dir=server.data_dir, argon2_time_cost=1, argon2_memory_kib=8192)
    storage = make_storage(settings)
    try:
        member = storage.accounts.create_user_from_shell("Acme", TRAINER, "trainer", PASSWORD)
        trainer = Actor(member.id, member.organisation_id, member.role, member.email)
        candidate = next(c for c in storage.cohorts.list_candidates(trainer) if c.email == EMAIL)
        cohort = storage.cohorts.create_cohort(trainer, "Spring programme")
        storage.cohorts.set_cohort(trainer, candidate.id, cohort.id)
    finally:
        storage.close()
    pdf = tmp_path / "quillfeather.pdf"
    pdf.write_bytes(make_pdf(CASE))

    # The trainer uploads the PDF, checks the preview and saves it: indexed at once.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(90_000)
    sign_in_as(page, server, TRAINER, "Case library")
    page.get_by_role("link", name="Cases").click()
    page.get_by_role("heading", name="Cases", exact=True).wait_for()
    page.get_by_role("tab", name="Upload files").click()
    page.locator("input[type=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="Save this case").wait_for()
    assert page.get_by_label("Title *").last.input_value() == TITLE
    shot(page, "20-trainer-upload-preview")
    start = time.monotonic()
    page.get_by_role("button", name="Save this case").click()
    page.get_by_text(f"Saved “{TITLE}”", exact=False).wait_for()
    timings.record("save_and_index_uploaded_case_s", time.monotonic() - start)
    shot(page, "21-trainer-case-saved")

    # The assignment: the main question, rehearsed with that case, for the cohort, due next week.
    storage = make_storage(settings)
    try:
        (case,) = storage.cases.list_cases(trainer)
        storage.assignments.create(
            trainer,
            cohort.id,
            "Week 1: pricing failures",
            date.today() + timedelta(days=7),
            [
                AssignedItem(
                    "failed-campaign",
                    "Explain a digital marketing campaign you led that failed.",
                    case.doc_id,
                )
            ],
        )
    finally:
        storage.close()
    context.close()

    # The candidate sees the assignment first, rehearses with the case, and finds it among related cases.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(90_000)
    sign_in_as(page, server, EMAIL, "Practice")
    page.get_by_role("heading", name="Your assignments").wait_for()
    page.get_by_text(f"rehearse with: {TITLE}", exact=False).wait_for()
    shot(page, "22-candidate-assignment")
    page.get_by_role("button", name="Practise", exact=True).click()
    page.get_by_text("your organisation's case", exact=False).first.wait_for()
    page.get_by_text("212 people joined", exact=False).first.wait_for()
    box = page.get_by_role("textbox", name="Your answer")
    box.fill(ANSWER)
    box.press("Control+Enter")
    page.get_by_text(f"{len(ANSWER.split())} words", exact=False).first.wait_for()
    page.get_by_role("button", name="Score my answer").click()
    page.get_by_role("heading", name="Scorecard", exact=True).wait_for()
    page.get_by_role("heading", name="Related cases").wait_for()
    page.get_by_text(f"{TITLE} (case, your organisation's)", exact=False).wait_for()
    shot(page, "23-candidate-related-case")
    context.close()
