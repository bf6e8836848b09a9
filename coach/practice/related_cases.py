"""Related cases as an extra the score does not depend on: when the case library (a Chroma server, say) cannot
be reached, the answer is still scored in full and the scorecard says the related cases are unavailable.

The finder is shared by every session of a server (the scorer is), so a failure is recorded on a holder set
for the one scoring call in a context variable, not on the finder: one candidate's note never lands on
another's card. asyncio tasks and `asyncio.to_thread` copy the context, so the holder follows the call.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Sequence

from coach.practice.workflow import AnswerScorer
from coach.scorecard import Related, Scorecard

log = logging.getLogger(__name__)

RELATED_UNAVAILABLE = (
    "Related cases are unavailable right now: the case library cannot be reached. Your score is complete "
    "without them; score again later to see them."
)
Finder = Callable[[str, int], Sequence[Related]]
_failures: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("related_failures", default=None)


class GuardedFinder:
    """A related-case finder opened on first use (and again after a failure) whose failure leaves no hole."""

    def __init__(self, open_finder: Callable[[], Finder]) -> None:
        self._open_finder = open_finder

    def __call__(self, query: str, k: int) -> list[Related]:
        try:
            return list(self._open_finder()(query, k))
        except Exception as exc:  # Chroma's client raises many kinds; none of them may cost the score
            log.warning("related cases unavailable: %s", exc)
            failures = _failures.get()
            if failures is not None:
                failures.append(str(exc))
            return []


class NotingScorer:
    """An AnswerScorer whose cards say so when the related cases could not be fetched while scoring."""

    def __init__(self, scorer: AnswerScorer) -> None:
        self._scorer = scorer

    @property
    def version(self) -> str:
        return self._scorer.version

    def score(self, answer: str, *, question: str | None = None) -> Scorecard:
        failures: list[str] = []
        token = _failures.set(failures)
        try:
            card = self._scorer.score(answer, question=question)
        finally:
            _failures.reset(token)
        if failures and RELATED_UNAVAILABLE not in card.notes:
            card = card.revised(notes=(*card.notes, RELATED_UNAVAILABLE))
        return card
