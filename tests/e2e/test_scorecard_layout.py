"""The scorecard reads first, at desktop width and on a phone (390 px), in a real Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, Server, Tab
from tests.e2e.test_practice_flow import EXAMPLE_1, REPLY, heading, sign_in, submit, type_answer

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}  # an iPhone 12-15's CSS viewport


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def top_of(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


def test_the_scorecard_comes_before_the_transcript_on_desktop_and_phone(tab: Tab, server: Server) -> None:
    page = tab.page
    sign_in(page, server)
    # A long answer: the transcript alone is taller than a screen, so a score below it would be off-screen.
    long_answer = "\n\n".join([EXAMPLE_1] * 2)
    type_answer(page, "Your answer", long_answer, len(long_answer.split()))
    submit(page, "Score my answer", heading(page, "Scorecard"))
    page.locator(".coach-levels").wait_for()
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "09-scorecard-desktop")
    assert top_of(page, ".coach-levels") < top_of(page, ".coach-answer")
    assert top_of(page, ".coach-focus") < top_of(page, ".coach-answer")
    assert top_of(page, ".coach-focus") < 1000  # the score and the point to work on: on the first screen

    page.set_viewport_size(PHONE)
    page.wait_for_timeout(800)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("[data-testid=stMain]").evaluate("e => e.scrollTo(0, 0)")
    screenshot(page, "10-scorecard-phone")
    # Nothing wider than the phone: no sideways scrolling to read the levels.
    widest = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.coach-levels, .coach-focus, .coach-answer')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= PHONE["width"], widest
    assert page.get_by_text("Overall score").is_visible()
    levels = page.locator(".coach-levels li")
    assert levels.count() == 5
    for i in range(5):
        box = levels.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # The overall and the five levels fit on the phone's first screen, above the transcript.
    assert top_of(page, ".coach-levels li:last-child") < PHONE["height"]
    assert top_of(page, ".coach-levels") < top_of(page, ".coach-answer")
    page.locator(".coach-focus").first.scroll_into_view_if_needed()
    screenshot(page, "11-scorecard-phone-focus")
    assert tab.dialogs == []


def test_three_follow_ups_without_a_repeat_then_the_interview_ends(tab: Tab, server: Server) -> None:
    page = tab.page
    sign_in(page, server)
    type_answer(page, "Your answer", EXAMPLE_1, len(EXAMPLE_1.split()))
    submit(page, "Score my answer", heading(page, "Scorecard"))
    asked: list[str] = []
    for n in range(1, 4):
        page.get_by_text(f"Question {n} of up to 3 from the interviewer").wait_for()
        question = page.locator("[data-testid=stChatMessage]").last.inner_text().strip()
        assert question and question not in asked, (question, asked)
        asked.append(question)
        reply = REPLY if n != 2 else "Thanks for asking. I really enjoy hiking on weekends with my family."
        # The reply box of the previous turn may linger for a moment while the new run replaces it.
        page.wait_for_function(
            "() => document.querySelectorAll('textarea[aria-label=\"Your reply to the interviewer\"]').length === 1"
        )
        type_answer(page, "Your reply to the interviewer", reply, 0)
        after = (
            page.get_by_text(f"Question {n + 1} of up to 3", exact=False)
            if n < 3
            else page.get_by_text("That is the end of the interview", exact=False)
        )
        submit(page, "Send reply and score the whole exchange", after)
        if n == 2:  # the reply ignored the question: the candidate is told so
            page.get_by_test_id("stAlertContentWarning").filter(
                has_text="Your reply did not answer the interviewer's question"
            ).wait_for()
            screenshot(page, "12-follow-up-not-answered")
    assert len(set(asked)) == 3
    assert page.get_by_role("button", name="Send reply and score the whole exchange").count() == 0
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "13-interview-over")
    assert tab.dialogs == []
