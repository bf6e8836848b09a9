"""CMO interview coach: scoring, retrieval and storage behind the Streamlit app."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.scorecard import Scorecard
    from coach.scoring.scorer import Scorer

__version__ = "0.1.0"
__all__ = ["afollow_up", "ascore_answer", "default_scorer", "llm_status", "score_answer"]

_lock = threading.Lock()
_scorer: Scorer | None = None


def default_scorer() -> Scorer:
    """The process-wide built-in scorer, with related cases from the case library; built on first use."""
    global _scorer
    with _lock:
        if _scorer is None:
            from coach.retrieval.library import library_finder, make_library
            from coach.scoring.lifecycle import make_scorer

            _scorer = make_scorer(related=library_finder(make_library()))
        return _scorer


def score_answer(answer: str, *, question: str | None = None) -> Scorecard:
    """Score one answer against the rubric with the built-in scorer."""
    return default_scorer().score(answer, question=question)


async def ascore_answer(
    answer: str, *, question: str | None = None, rewrite: bool = True, settings: Settings | None = None
) -> Scorecard:
    """Score one answer; with an LLM configured, add its judge and rewrite, cross-checked by the built-in scorer.

    Always returns a scorecard: with no LLM, or when the LLM fails, it is the built-in one (then `card.llm`
    is a FallbackReview with the reason). See docs/llm.md for the JSON keys the review adds.
    """
    import asyncio

    from coach.config import get_settings
    from coach.llm.reviewer import review_answer

    scorer = await asyncio.to_thread(default_scorer)  # the first call may train the model: keep the loop free
    return await review_answer(scorer, answer, settings or get_settings(), question=question, rewrite=rewrite)


async def afollow_up(answer: str, card: Scorecard, *, question: str | None = None) -> str:
    """A sharper follow-up question from the LLM when one is configured and answers, else the card's own."""
    import asyncio

    from coach.config import get_settings
    from coach.llm.reviewer import follow_up_question

    scorer = await asyncio.to_thread(default_scorer)
    return await follow_up_question(scorer, answer, card, get_settings(), question=question)


def llm_status(settings: Settings | None = None) -> str:
    """The LLM line for a settings view: "LLM: off", or which model at which host."""
    from coach.config import get_settings
    from coach.llm.client import llm_status as status

    return status(settings or get_settings())
