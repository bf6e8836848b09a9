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


def test_a_long_paste_on_one_line_splits_in_linear_time() -> None:
    # 20,000 sentences (about 220,000 words) on one line. Reading the whole line before each full stop took 5.7 s
    # for 2,000 of them (quadratic: about ten minutes for these); reading a bounded tail takes about 0.1 s.
    import time

    line = "I led an email campaign that missed its target by 40%. " * 20_000
    started = time.perf_counter()
    sentences = split_sentences(line)
    assert len(sentences) == 20_000
    assert time.perf_counter() - started < 5.0


def test_abbreviations_and_numbers_before_a_full_stop_are_read_from_the_word_itself() -> None:
    long_word = "x" * 100
    assert [s.text for s in split_sentences(f"We met Mr. Li at {long_word}. Then 3. 5 came.")] == [
        f"We met Mr. Li at {long_word}.",
        "Then 3. 5 came.",
    ]


def test_a_contraction_before_a_full_stop_ends_the_sentence() -> None:
    # A lone letter before a stop is an initial ("J. Smith"); the "t" of "didn't" is not.
    assert [s.text for s in split_sentences("Some of them didn't. Thanks for asking.")] == [
        "Some of them didn't.",
        "Thanks for asking.",
    ]
    assert [s.text for s in split_sentences("It wasn’t. Then we stopped. We met J. Smith.")] == [
        "It wasn’t.",
        "Then we stopped.",
        "We met J. Smith.",
    ]
