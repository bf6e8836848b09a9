"""The case library page: clean snippets, "nothing matched" below the relevance threshold, the query kept."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ok, open_app

CASE_ID = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)*-(?:19|20)\d{2}\b")


@pytest.fixture
def at(candidate: str) -> AppTest:
    return open_app(candidate, page="pages/library.py")


def _snippets(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("> ")]


@pytest.mark.parametrize(
    "query",
    [
        "ending coupons for customers who loved sales",  # JCPenney: a title with a colon in it
        "a discount code that spread on coupon sites",
        "spending spread across too many shows before any audience was proven",  # a pattern's case list
    ],
)
def test_snippets_show_their_heading_once_without_markers_or_case_ids(at: AppTest, query: str) -> None:
    ok(at.text_input[0].input(query).run())
    snippets = _snippets(at)
    assert snippets
    for snippet in snippets:
        section, _, body = snippet.removeprefix("> ").partition(": ")
        assert section and body
        assert not body.startswith(section), snippet  # "What a candidate can borrow: What a candidate..."
        assert f"{section}:" not in body, snippet
        assert not re.search(r"(^|\s)(- |\* |\d\. )", body), snippet  # raw list markers
        assert "**" not in body and not CASE_ID.search(body), snippet


@pytest.mark.parametrize(
    "query", ["purple elephant banana quantum", "how tall is mount everest", "asdf qwer"]
)
def test_nonsense_finds_nothing_and_suggests_patterns(at: AppTest, query: str) -> None:
    ok(at.text_input[0].input(query).run())
    assert not _snippets(at)
    assert at.info and at.info[0].value.startswith("Nothing matched")
    patterns = [b for b in at.button if b.key and b.key.startswith("pattern-")]
    assert len(patterns) >= 10
    ok(patterns[0].click().run())
    assert at.header[0].value == patterns[0].label  # a pattern opens in full


def test_a_real_description_still_finds_cases(at: AppTest) -> None:
    ok(at.text_input[0].input("personalised email that customers found creepy").run())
    assert _snippets(at) and not at.info


def test_the_query_survives_back_to_results(at: AppTest) -> None:
    query = "free flights with a vacuum cleaner purchase"
    ok(at.text_input[0].input(query).run())
    ok(next(b for b in at.button if b.label == "Read the case").click().run())
    assert at.header[0].value.startswith("Hoover")
    ok(next(b for b in at.button if b.label.startswith("← Back")).click().run())
    assert at.title[0].value == "Case library"
    assert at.text_input[0].value == query
    assert _snippets(at)  # the results are back too


def test_a_related_case_opens_in_the_library(candidate: str) -> None:
    from tests.app.conftest import EXAMPLE_1, submit_answer

    at = submit_answer(open_app(candidate), EXAMPLE_1)
    related = [b for b in at.button if b.label == "Open in the case library"]
    assert related
    titles = [m.value for m in at.markdown if m.value.startswith("**") and m.value.endswith("(case)")]
    ok(related[0].click().run())
    assert at.header[0].value == titles[0].removeprefix("**").rsplit("** (", 1)[0]
    ok(next(b for b in at.button if b.label.startswith("← Back")).click().run())
    assert at.title[0].value == "Case library"
