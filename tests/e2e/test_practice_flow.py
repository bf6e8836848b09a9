"""The candidate's practice flow in a real headless Chromium against `streamlit run`, with screenshots."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, EMAIL, PASSWORD, Server, Tab, Timings

pytestmark = pytest.mark.e2e

EXAMPLE_1 = (Path(__file__).parents[1] / "data" / "rubric_example_1.txt").read_text().strip()
COMPONENTS = ["Describe", "Acknowledge", "Analyze", "Learn", "Apply"]
REPLY = (
    "The post-mortem showed it: engagement came in 40% below target, and a survey found 70% of the audience "
    "spent its time on TikTok, where we had put 5% of the budget."
)
RETRY = (
    EXAMPLE_1
    + " Engagement reached 60% of target, 40% short. On the next three launches engagement rose 35%."
)


def shot(page: Any, name: str) -> None:
    """A screenshot of the whole app, however long the page: the viewport grows to the content."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('section, [data-testid=stMain], body')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 80, 12000))})
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def heading(page: Any, name: str) -> Any:
    return page.get_by_role("heading", name=name, exact=True)


def sign_in(page: Any, server: Server) -> None:
    page.goto(server.url)
    heading(page, "Sign in").wait_for()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    heading(page, "Practice").wait_for()


def type_answer(page: Any, label: str, text: str, words: int) -> None:
    """Type into a text area and commit it (Ctrl+Enter: st.text_area's way; the answer box ignores it and
    reports its text itself), then wait for the live word count to follow."""
    box = page.get_by_role("textbox", name=label)  # the box, not the "Your answer" heading of a scorecard
    box.fill(text)
    box.press("Control+Enter")
    if words:
        page.get_by_text(f"{words} words", exact=False).first.wait_for()


def submit(page: Any, button: str, wait_for: Any) -> float:
    """Click, and the seconds until `wait_for` is visible."""
    start = time.monotonic()
    page.get_by_role("button", name=button).click()
    wait_for.wait_for()
    return time.monotonic() - start


def test_answer_scorecard_follow_up_retry_history(tab: Tab, server: Server, timings: Timings) -> None:
    page = tab.page
    sign_in(page, server)
    shot(page, "01-practice")

    type_answer(page, "Your answer", EXAMPLE_1, 132)
    page.get_by_text("short of the 250–350 target").wait_for()
    shot(page, "02-answer-typed")
    seconds = submit(page, "Score my answer", heading(page, "Scorecard"))
    timings.record("submit_to_scorecard_s", seconds)
    for name in COMPONENTS:
        # Each evidence sentence is labelled by name, in text, inside the highlighted answer.
        page.locator("mark.coach-evidence").filter(has_text=f"[{name}]").first.wait_for()
        page.get_by_text(f"{name} · level", exact=False).first.wait_for()
    flag = page.locator(".coach-flag").filter(has_text="no_metrics")
    assert "No number, percentage or measured result" in flag.inner_text()
    assert page.get_by_text("Overall score").is_visible()
    assert page.locator(".coach-levels li").count() == 5  # the five levels as text, no chart repeating them
    shot(page, "03-scorecard")

    # The interviewer's follow-up, answered; the exchange is scored again as a whole.
    assert heading(page, "Follow-up").is_visible()
    type_answer(page, "Your reply to the interviewer", REPLY, 0)
    seconds = submit(
        page,
        "Send reply and score the whole exchange",
        page.get_by_text("Change since your answer before the follow-up"),
    )
    timings.record("follow_up_to_scorecard_s", seconds)
    page.get_by_text("40% below target", exact=False).first.wait_for()
    shot(page, "04-follow-up-scored")

    # Try again: the first attempt stays; the new one shows its change per component.
    page.get_by_role("button", name="Try again").click()
    page.get_by_text("Your previous answer to this question").wait_for()
    type_answer(page, "Your answer", RETRY, len(RETRY.split()))
    submit(page, "Score my answer", page.get_by_text("Change since your previous attempt", exact=False))
    shot(page, "05-retry-scored")

    # History: both attempts, charts, exports, a transcript reopened read-only.
    page.get_by_role("link", name="History").click()
    heading(page, "History").wait_for()
    heading(page, "Attempts (2)").wait_for()
    page.locator("[data-testid=stVegaLiteChart], .vega-embed").nth(1).wait_for()
    page.get_by_text("Read-only", exact=False).wait_for()
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Download PDF report").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as csv:
        page.get_by_role("button", name="Export CSV").click()
    assert Path(csv.value.path()).read_text().count("\n") >= 3  # header and two attempts (answers span lines)
    shot(page, "06-history")
    assert tab.dialogs == []


def test_a_script_answer_renders_as_text(tab: Tab, server: Server) -> None:
    page = tab.page
    page.add_init_script("window.__pwned = false;")
    sign_in(page, server)
    answer = "<script>alert(1)</script>"
    type_answer(page, "Your answer", answer, 1)
    page.get_by_role("button", name="Score my answer").click()
    page.get_by_text("Not scored:", exact=False).wait_for()
    page.get_by_text(answer, exact=True).wait_for()  # the literal text is on the page
    page.wait_for_timeout(500)
    assert tab.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('.coach-answer script').length") == 0
    shot(page, "07-script-as-text")

    # Markup inside a real answer, scored: the evidence highlighting escapes it too.
    page.get_by_role("button", name="Try again").click()
    hostile = "<img src=x onerror=alert(2)> <b>bold claim</b>"
    text = EXAMPLE_1.replace("Despite thorough", f"{hostile} Despite thorough")
    type_answer(page, "Your answer", text, len(text.split()))
    submit(page, "Score my answer", heading(page, "Scorecard"))
    page.get_by_text(hostile, exact=False).first.wait_for()
    page.wait_for_timeout(500)
    assert tab.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('.coach-answer img, .coach-answer b').length") == 0
    shot(page, "08-markup-in-a-scored-answer")
