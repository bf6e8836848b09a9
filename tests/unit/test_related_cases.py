"""Related cases as an extra (coach/practice/related_cases.py): a failure to reach the library is noted on the
card of the call that met it, and only where the card would have shown related cases."""

from __future__ import annotations

from collections.abc import Callable

from coach.practice.related_cases import RELATED_UNAVAILABLE, GuardedFinder, NotingScorer
from coach.rubric import COMPONENTS, Flag
from coach.scorecard import ComponentScore, Related, Scorecard


def _unreachable() -> Callable[[str, int], list[Related]]:
    raise ConnectionError("the case library cannot be reached")


class LookingScorer:
    """An AnswerScorer that looks for related cases (and meets a library out of reach) while it scores."""

    version = "looking"

    def __init__(self, flags: tuple[Flag, ...]) -> None:
        self.flags = flags
        self.finder = GuardedFinder(_unreachable)

    def score(self, answer: str, *, question: str | None = None) -> Scorecard:
        assert self.finder(answer, 3) == []
        return Scorecard(
            overall=0,
            components={c: ComponentScore(0) for c in COMPONENTS},
            scorer=self.version,
            flags=self.flags,
        )


def test_a_library_out_of_reach_is_noted_on_the_card() -> None:
    card = NotingScorer(LookingScorer(())).score("an answer")
    assert RELATED_UNAVAILABLE in card.notes


def test_an_off_topic_card_has_no_related_cases_to_miss() -> None:
    # The scorer may begin looking before it knows the answer is off topic.
    card = NotingScorer(LookingScorer((Flag.OFF_TOPIC,))).score("a recipe")
    assert RELATED_UNAVAILABLE not in card.notes
