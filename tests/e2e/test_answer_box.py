"""The answer box counts words and time as the candidate types, in the browser, and saves the draft when
typing pauses, without taking the focus or a keystroke from the candidate (issue 16.4)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from coach.practice.workflow import word_band
from tests.e2e.conftest import Server, Tab
from tests.e2e.test_practice_flow import heading, shot, sign_in

pytestmark = pytest.mark.e2e

FIRST = "I led the spring email campaign for our app and it missed its sign-up target"
MORE = " by forty percent because the offer was weak"


def count_line(page: Any) -> str:
    return str(page.locator(".words").inner_text())


def clock_line(page: Any) -> str:
    return str(page.locator(".time").inner_text())


def focused(box: Any) -> bool:
    return bool(box.evaluate("e => e.getRootNode().activeElement === e"))


def test_words_and_time_count_live_and_the_draft_saves_while_typing(tab: Tab, server: Server) -> None:
    page = tab.page
    sign_in(page, server)
    box = page.get_by_role("textbox", name="Your answer")
    box.fill("")
    box.click()

    # Word by word, the count follows each key at once: no pause, no leaving the box, no server round trip.
    typed = ""
    for word in FIRST.split()[:4]:
        typed += ("" if not typed else " ") + word
        page.keyboard.type(("" if typed == word else " ") + word)
        assert count_line(page) == f"⬆ {word_band(typed).message}"
    assert focused(box)

    # The clock runs in the browser too.
    before = clock_line(page)
    assert re.fullmatch(r"⏱ \d+:\d\d elapsed · a spoken answer takes about 2:00", before), before
    page.wait_for_timeout(2100)
    assert clock_line(page) != before

    # A pause saves the draft; the run that saves it leaves the text, the cursor and the focus in the box.
    page.keyboard.type(FIRST[len(typed) :])
    page.get_by_text("Draft saved").wait_for()
    assert focused(box)
    page.keyboard.type(MORE, delay=30)  # keys typed across the saving run all arrive
    assert box.input_value() == FIRST + MORE
    assert count_line(page) == f"⬆ {word_band(FIRST + MORE).message}"
    shot(page, "answer-box-live-count")

    page.wait_for_timeout(1500)  # the last pause reports the text; then a reload finds the draft
    page.reload()
    heading(page, "Practice").wait_for()
    restored = page.get_by_role("textbox", name="Your answer")
    for _ in range(100):
        if restored.count() and restored.input_value() == FIRST + MORE:
            break
        page.wait_for_timeout(100)
    assert restored.input_value() == FIRST + MORE
    assert count_line(page) == f"⬆ {word_band(FIRST + MORE).message}"

    restored.fill("")  # leave no draft behind for the other tests of the shared account
    page.get_by_text("0 words").wait_for()
    page.wait_for_timeout(1500)
