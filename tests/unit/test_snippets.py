"""Result snippets: the index's prefix gone, the heading once, no list markers, emphasis or case ids."""

from __future__ import annotations

from coach.retrieval.search import passage
from coach.retrieval.snippets import chunk_body, readable


def test_the_prefix_and_a_repeated_heading_are_dropped() -> None:
    title = "JCPenney Fair and Square: removing coupons"
    section = "What a candidate can borrow"
    text = f"{title}. {section}: {section}: The everyday version is ending a discount code programme."
    assert chunk_body(text, title, section) == "The everyday version is ending a discount code programme."


def test_list_items_become_sentences_without_markers_ids_or_emphasis() -> None:
    text = (
        "Cases:\n- **quibi-launch-2020**: large spending spread across shows\n"
        "* **ford-edsel-1957**: a car nobody asked for\n2. Check `posies-groupon-2010` too"
    )
    assert readable(text) == "Cases. Large spending spread across shows. A car nobody asked for. Check too."


def test_the_passage_comes_from_the_clean_text() -> None:
    body = readable("Intro.\n- The coupon was forwarded to millions\n- Stores ran out")
    assert passage(body, "coupon forwarded").startswith("The coupon was forwarded to millions.")
