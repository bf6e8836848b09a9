"""Coaching never contradicts the evidence: evidence, level and coaching are one decision per part.

The property runs over every labelled answer: a sentence quoted in a part's coaching is one of that part's
evidence sentences, and a part whose coaching says something is missing shows no evidence that supplies it.
"""

from __future__ import annotations

import re

import pytest

from coach.rubric import COMPONENTS, Flag
from coach.scorecard import Scorecard
from coach.scoring import coaching
from coach.scoring.labelled import load_labelled, training_files
from tests.conftest import CORPUS

QUOTED = re.compile(r'You say "(.+?)"\.')
# The advice that says a part is missing, and the advice that asks for a number on the gap.
ABSENT = {c: coaching._NEXT[c][0] for c in COMPONENTS}
ASKS_FOR_A_NUMBER = ("by how much against the target", "put a number on the gap", "we reached 40% of the")


def _quoted(feedback: str) -> list[str]:
    return QUOTED.findall(feedback)


def _is_quote_of(quoted: str, sentence: str) -> bool:
    shown = coaching.quote(sentence)
    return quoted == shown


def check_card(card: Scorecard) -> list[str]:
    """Every way the card's coaching disagrees with its evidence."""
    problems: list[str] = []
    if card.refused is not None:
        return problems
    for name, part in card.components.items():
        for quoted in _quoted(part.feedback):
            if not any(_is_quote_of(quoted, s) for s in part.evidence):
                problems.append(f"{name}: quotes {quoted!r}, which is not among its evidence")
        if part.feedback.startswith(ABSENT[name]) and part.evidence:
            problems.append(f"{name}: says the part is missing beside evidence {part.evidence[0]!r}")
        if name == "acknowledge" and any(a in part.feedback for a in ASKS_FOR_A_NUMBER):
            numbered = [s for s in part.evidence if coaching.supplies(name, s)]
            if numbered and _quoted(part.feedback) and _is_quote_of(_quoted(part.feedback)[0], numbered[0]):
                problems.append(f"acknowledge: asks for a number while quoting {numbered[0]!r}")
    if Flag.OFF_TOPIC in card.flags:
        if any(_quoted(p.feedback) for p in card.components.values()):
            problems.append("off topic, yet the coaching quotes the answer as evidence")
        if {p.feedback for p in card.components.values()} != {coaching.OFF_TOPIC_MESSAGE}:
            problems.append("off topic, yet the parts are coached one by one")
    return problems


LABELLED = load_labelled(training_files(CORPUS))


def test_coaching_agrees_with_the_evidence_on_every_labelled_answer(scorer) -> None:
    failures = {}
    for answer in LABELLED:
        problems = check_card(scorer.score(answer.answer, with_related=False))
        if problems:
            failures[answer.id] = problems
    assert not failures, (
        f"{len(failures)} of {len(LABELLED)} cards disagree: {dict(list(failures.items())[:5])}"
    )


def test_an_acknowledged_gap_is_never_called_missing(scorer) -> None:
    text = (
        "I led our spring email campaign to lapsed subscribers, aiming for 2,000 reactivations. "
        "It missed its target by 40%, and that was my call: I picked the segment. "
        "We found the list had not been cleaned in two years, so a third of the sends bounced. "
        "I learned to clean a list before any reactivation push, and I now run a hygiene check first."
    )
    card = scorer.score(text, with_related=False)
    ack = card.components["acknowledge"]
    assert ack.evidence, card
    assert not ack.feedback.startswith(ABSENT["acknowledge"])
    assert check_card(card) == []


RECIPE = (
    "Preheat the oven to 180 degrees and grease a loaf tin. Whisk two cups of flour with a teaspoon of "
    "baking powder and a pinch of salt. In another bowl, beat the butter and sugar until pale, then add "
    "three eggs one at a time. Fold in the flour and the mashed bananas, pour into the tin and bake for "
    "fifty minutes until golden. Leave it to cool before slicing, and serve with butter."
)


def test_an_off_topic_answer_gets_one_honest_message_and_no_quotes(scorer) -> None:
    card = scorer.score(RECIPE, with_related=False)
    assert Flag.OFF_TOPIC in card.flags
    assert {p.feedback for p in card.components.values()} == {coaching.OFF_TOPIC_MESSAGE}
    assert not any('"' in p.feedback for p in card.components.values())


def test_a_refused_answer_is_not_coached_part_by_part(scorer) -> None:
    card = scorer.score("Hola, esta es mi respuesta sobre una campaña que fracasó el año pasado.")
    assert card.refused
    assert all(p.feedback == "" for p in card.components.values())


# -- the decision itself, on evidence written for the test ------------------------------------------------


def test_the_learn_quote_is_the_lesson_not_a_finding() -> None:
    evidence: dict[str, list[str]] = {c: [] for c in COMPONENTS}
    evidence["learn"] = [
        "We found the landing page loaded in nine seconds on mobile.",
        "The lesson I took is to test every page on a cheap phone before launch.",
    ]
    assert coaching.judged("learn", evidence) == evidence["learn"][1]


@pytest.mark.parametrize("level", [2, 3])
def test_a_quoted_gap_moves_the_advice_on_to_ownership(level: int) -> None:
    evidence: dict[str, list[str]] = {c: [] for c in COMPONENTS}
    evidence["acknowledge"] = ["The launch missed its target by 40%."]
    levels = dict.fromkeys(COMPONENTS, 2) | {"acknowledge": level}
    advice = coaching.feedback(levels, evidence, tuple(evidence["acknowledge"]), None, [])  # type: ignore[arg-type]
    assert "missed its target by 40%" in advice["acknowledge"]
    assert not any(a in advice["acknowledge"] for a in ASKS_FOR_A_NUMBER)
    # Parts with no evidence say so, and quote nothing.
    assert advice["analyze"] == ABSENT["analyze"]


def test_no_evidence_means_no_quote_even_when_another_sentence_looks_like_the_part() -> None:
    evidence: dict[str, list[str]] = {c: [] for c in COMPONENTS}
    evidence["describe"] = ["I ran a TikTok campaign for our new oat drink."]
    advice = coaching.feedback(dict.fromkeys(COMPONENTS, 1), evidence, tuple(evidence["describe"]), None, [])  # type: ignore[arg-type]
    assert _quoted(advice["describe"]) == ["I ran a TikTok campaign for our new oat drink"]
    for name in ("acknowledge", "analyze", "learn", "apply"):
        assert _quoted(advice[name]) == []
