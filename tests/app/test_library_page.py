"""The case library page, run through Streamlit's AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from coach.retrieval.corpus import CASE_SECTIONS
from tests.app.conftest import open_app


@pytest.fixture
def at(candidate: str) -> AppTest:
    """The library as a signed-in candidate sees it (candidates land on Practice, so it is switched to)."""
    return open_app(candidate, page="pages/library.py")


def test_lists_every_case_before_a_search(at: AppTest) -> None:
    assert at.title[0].value == "Case library"
    assert any(s.value.startswith("All ") and s.value.endswith(" cases") for s in at.subheader)
    assert any("New Coke" in m.value for m in at.markdown)


def test_search_shows_title_brand_year_modes_and_passage(at: AppTest) -> None:
    at.text_input[0].input("a tweet on women's day saying women belong in the kitchen").run()
    assert not at.exception
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    assert titles and "Burger King" in titles[0] and "2021" in titles[0]
    assert any("creative-tone-deaf" in c.value for c in at.caption)
    assert any(m.value.startswith("> ") and len(m.value) > 20 for m in at.markdown)


def test_patterns_filter_returns_only_patterns(at: AppTest) -> None:
    at.radio[0].set_value("Patterns").run()
    at.text_input[0].input("the email went to the wrong list of people").run()
    captions = [c.value for c in at.caption]
    assert captions and all(c.startswith("pattern") for c in captions)


def test_open_a_full_case_and_go_back(at: AppTest) -> None:
    at.text_input[0].input("free flights with a vacuum cleaner purchase").run()
    next(b for b in at.button if b.label == "Read the case").click().run()
    assert not at.exception
    assert at.header[0].value.startswith("Hoover")
    assert tuple(s.value for s in at.subheader)[: len(CASE_SECTIONS)] == CASE_SECTIONS
    assert any(s.value == "Sources" for s in at.subheader)
    next(b for b in at.button if b.label.startswith("← Back")).click().run()
    assert at.title[0].value == "Case library"


def test_blank_query_keeps_the_full_list(at: AppTest) -> None:
    at.text_input[0].input("   ").run()
    assert not at.exception
    assert not any(b.label == "Read the case" for b in at.button)
    assert sum(b.label == "Read" for b in at.button) >= 45
