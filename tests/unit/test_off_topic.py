"""Off topic by the rulings: an answer that tells no work story with a failure in it (coach.scoring.flags),
on sentences written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from coach.scoring.flags import at_work, off_topic, tells_a_failure
from coach.scoring.model import SENTENCE_CLASSES


def _low(*sentences: str) -> list[str]:
    return [s.lower() for s in sentences]


def _reads(n: int, role: str, p: float) -> np.ndarray:
    probs = np.zeros((n, len(SENTENCE_CLASSES)), np.float32)
    probs[:, SENTENCE_CLASSES.index(role)] = p
    return probs


PRIVATE_FAILURES = [
    _low(
        "I ran the under-elevens for my son on Sunday mornings.",
        "We lost every match and two of the kids gave up by Christmas.",
    ),
    _low("My chilli plants on the balcony all died in a week.", "I had put them out before the last frost."),
    _low(
        "My husband and I tried to repaint the whole house in one bank holiday.",
        "We ran out of paint halfway and it looked worse than before.",
    ),
    _low("I failed my driving test twice because I rushed the junctions.", "My dad paid for more lessons."),
]
WORK_FAILURES = [
    _low(
        "I owned the move of our customer records to a new CRM.",
        "It slipped by two months because I had not mapped the custom fields.",
    ),
    _low(
        "The new website went live with a broken checkout, and that was my call.",
        "We lost a weekend of orders.",
    ),
    _low(
        "As events lead I booked a venue for 500 and only 180 came.",
        "I had set the ticket price without asking a single customer.",
    ),
    _low(
        "Hired a sales rep in a rush.",
        "He quit after three months having booked nothing.",
        "Now: references first.",
    ),
]


@pytest.mark.parametrize("answer", PRIVATE_FAILURES)
def test_a_failure_in_private_life_is_off_topic(answer: list[str]) -> None:
    assert off_topic(answer, model_probability=0.0)


@pytest.mark.parametrize("answer", WORK_FAILURES)
def test_a_work_failure_of_any_kind_is_on_topic(answer: list[str]) -> None:
    assert at_work(answer)
    assert not off_topic(answer, model_probability=0.0)


def test_a_work_routine_with_nothing_wrong_is_off_topic() -> None:
    week = _low(
        "Most weeks as brand manager I start with our agency call and a review of the media plan.",
        "Then I sit with the sales team to hear what customers ask for.",
        "On Fridays I write a short report for the leadership team.",
    )
    assert off_topic(week, model_probability=0.0, reads=_reads(3, "describe", 0.9))


def test_a_miss_the_words_do_not_name_is_kept_on_topic_by_a_sentence_read_as_owning_it() -> None:
    implicit = _low(
        "I led the spring push for our garden tools on paid social.",
        "By May we had sold 300 sets, and the plan had been 2,000.",
    )
    assert tells_a_failure(implicit)  # the figure below its plan
    quiet = _low(
        "I led the spring push for our garden tools on paid social.", "The whole thing cost us the season."
    )
    assert off_topic(quiet, 0.0, reads=_reads(2, "describe", 0.9))
    assert not off_topic(quiet, 0.0, reads=_reads(2, "acknowledge", 0.8))


def test_an_audiences_families_and_weekends_are_not_the_tellers_private_life() -> None:
    campaign = _low(
        "Our weekend sale targeted parents and their kids before the school holidays.",
        "I picked the wrong week, so the footfall came in at half the plan.",
    )
    assert at_work(campaign)
    assert not off_topic(campaign, model_probability=0.0)


def test_opinions_about_interviews_are_a_dodge_when_the_model_doubts_the_answer() -> None:
    rant = _low(
        "Questions like this are a waste of everyone's time.",
        "I think hiring processes at most companies are broken, and good people drop out.",
    )
    assert off_topic(rant, model_probability=0.6)
