"""Padding cannot win: repeated content counts once, and a padded answer never outscores the answer told once."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.rubric import COMPONENTS, Flag

EXAMPLE = (Path(__file__).parents[1] / "data" / "rubric_example_1.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("times", [2, 5, 22])
def test_an_answer_pasted_many_times_scores_as_it_does_once(scorer, times: int) -> None:
    once = scorer.score(EXAMPLE, with_related=False)
    # Pasted again and again, with the copies' case and spacing varied as a paste would vary them.
    padded = scorer.score(
        "\n\n".join(EXAMPLE.upper() if i % 3 == 2 else EXAMPLE for i in range(times)), with_related=False
    )
    assert all(padded.components[c].level <= once.components[c].level for c in COMPONENTS)
    assert padded.overall <= once.overall
    if len(" ".join([EXAMPLE] * times).split()) > 450:
        assert Flag.TOO_LONG in padded.flags


def test_a_repeated_sentence_is_evidence_once(scorer) -> None:
    card = scorer.score(EXAMPLE + " " + EXAMPLE.split(". ")[1] + ".", with_related=False)
    for c in COMPONENTS:
        evidence = card.components[c].evidence
        assert len(evidence) == len(set(evidence))
