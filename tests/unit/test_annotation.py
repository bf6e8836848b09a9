"""Evidence highlighting: segments, labels in text, and escaping of everything a candidate typed."""

from __future__ import annotations

import re
from html import escape

import pytest

from coach.practice.annotation import Segment, annotate, answer_html, legend_html, text_html
from coach.rubric import COMPONENT_NAMES, COMPONENTS, FLAG_EXPLANATIONS, FLAG_NAMES, explain_flag

ANSWER = "I led a launch for students.  It missed by 40%.\nWe learned to test first. Thanks."


def test_segments_cover_the_text_and_name_their_component() -> None:
    segments = annotate(
        ANSWER, {"describe": ["I led a launch for students."], "acknowledge": ["It missed by 40%."]}
    )
    assert "".join(s.text for s in segments) == ANSWER
    assert segments[:4] == [
        Segment("I led a launch for students.", ("describe",)),
        Segment("  "),
        Segment("It missed by 40%.", ("acknowledge",)),
        Segment("\nWe learned to test first. Thanks."),
    ]


def test_evidence_matches_across_changed_whitespace_and_unknown_evidence_is_skipped() -> None:
    text = "We learned\nto   test first."
    segments = annotate(text, {"learn": ["We learned to test first."], "apply": ["Not in the answer."]})
    assert segments == [Segment(text, ("learn",))]


def test_overlapping_evidence_carries_both_names() -> None:
    segments = annotate("Alpha beta gamma.", {"analyze": ["Alpha beta"], "learn": ["beta gamma."]})
    assert [(s.text, s.components) for s in segments] == [
        ("Alpha ", ("analyze",)),
        ("beta", ("analyze", "learn")),
        (" gamma.", ("learn",)),
    ]


def test_every_evidence_sentence_is_labelled_in_text() -> None:
    evidence = {c: [] for c in COMPONENTS} | {"describe": ["I led a launch for students."]}
    html = answer_html(ANSWER, evidence)
    assert "[Describe]</span>I led a launch for students.</mark>" in html
    assert html.count("<mark") == 1
    legend = legend_html()
    assert all(f"{COMPONENT_NAMES[c]}:" in legend for c in COMPONENTS)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "</mark></div><script>alert(1)</script>",
        '"><svg onload=alert(1)>',
        "&lt;already escaped&gt; & <b>bold</b>",
    ],
)
def test_candidate_text_never_becomes_markup(hostile: str) -> None:
    for html in (
        answer_html(f"I led a campaign. {hostile} It failed.", {"describe": ["I led a campaign."]}),
        answer_html(hostile, {"describe": [hostile]}),  # the hostile text as evidence, inside the <mark>
        text_html(hostile),
    ):
        tags = set(re.findall(r"<\s*/?\s*([a-zA-Z]+)", html))
        assert tags <= {"div", "mark", "span"}, tags
        assert escape(hostile) in html  # shown as the characters typed


def test_every_flag_is_explained_in_one_line() -> None:
    assert set(FLAG_NAMES) <= set(FLAG_EXPLANATIONS)
    assert all("\n" not in line and line.endswith(".") for line in FLAG_EXPLANATIONS.values())
    assert explain_flag("judge_disagreement") == "Flag 'judge_disagreement' raised by the scorer."
