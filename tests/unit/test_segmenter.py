"""Sentence splitting keeps offsets, bullets, abbreviations and decimals straight."""

from __future__ import annotations

from coach.scoring.segmenter import latin_share, split_sentences, word_count


def test_sentences_and_offsets() -> None:
    text = "I led it. It failed by 40.5% in the U.S. market, e.g. on mobile! Why? Timing."
    got = split_sentences(text)
    assert [s.text for s in got] == [
        "I led it.",
        "It failed by 40.5% in the U.S. market, e.g. on mobile!",
        "Why?",
        "Timing.",
    ]
    assert all(text[s.start : s.end] == s.text for s in got)


def test_bullets_and_lines_are_sentences() -> None:
    text = "- Campaign: email to lapsed users\n- Result: 2% of target\n\nLesson learned"
    assert [s.text for s in split_sentences(text)] == [
        "Campaign: email to lapsed users",
        "Result: 2% of target",
        "Lesson learned",
    ]


def test_script_and_counts() -> None:
    assert latin_share("Our campaign failed") == 1.0
    assert latin_share("私たちのキャンペーンは失敗しました") < 0.1
    assert word_count("  one two\nthree ") == 3
