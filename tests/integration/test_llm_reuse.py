"""The LLM path reuses the built-in scorer's work: its retrieval (no second search) and its stuffing analysis.

The real built-in scorer, the in-process scripted chat client (tests/fakes.py): no server, no sleeps.
"""

from __future__ import annotations

import asyncio

import pytest

from coach.llm.reviewer import Reviewer
from coach.scorecard import JudgeReview, Related, Scorecard
from coach.scoring.scorer import Scorer, keyword_stuffed
from tests.fake_openai import judge_reply
from tests.fakes import ScriptedChat
from tests.integration.conftest import related_stub

STUFFED = (
    "I will describe, acknowledge, analyze, learn and apply. Describe: campaign. Acknowledge: failure, "
    "ownership, no blame. Analyze: root cause, data-driven. Learn: key takeaways, lessons learned. "
    "Apply: applied the learnings, ROI, growth mindset, resilience, leadership, strategic thinking."
)
# Filler the built-in analysis sets aside, enough of it to dilute the rubric's words below the stuffing
# threshold when they are counted over the raw answer.
PADDED = STUFFED + " Thanks for asking." * 120
STORY = (
    "I led a paid social campaign for our meal kit launch that missed its sign-up goal by 60%. The ads "
    "reached students, but our buyers were parents. I learned to check the audience against our buyers "
    "first, and on the next launch we did, and sign-ups beat the target."
)


class CountingFinder:
    """The case library's finder, counted: how often an answer's cases are searched for."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def __call__(self, query: str, k: int) -> list[Related]:
        self.queries.append(query)
        return related_stub(query, k)


@pytest.fixture
def finder() -> CountingFinder:
    return CountingFinder()


@pytest.fixture
def counted_scorer(builtin_scorer: Scorer, finder: CountingFinder) -> Scorer:
    s = builtin_scorer
    return Scorer(s.model, s.embedder, vocabulary=s.vocabulary, exemplars=s.exemplars, related=finder)


def _review(scorer: Scorer, chat: ScriptedChat, answer: str) -> Scorecard:
    return asyncio.run(Reviewer(chat, scorer).review(answer, rewrite=False))


def test_the_judge_sees_the_built_in_retrieval_and_nothing_searches_again(
    counted_scorer: Scorer, finder: CountingFinder
) -> None:
    builtin = counted_scorer.score(STORY)
    assert len(finder.queries) == 1 and builtin.pattern is not None
    chat = ScriptedChat(JudgeVerdict=lambda prompt: judge_reply(builtin.levels, STORY))

    cards = [_review(counted_scorer, chat, STORY) for _ in range(3)]

    assert len(finder.queries) == 1 + 3  # one search per answer: the built-in scorer's own
    assert all(isinstance(c.llm, JudgeReview) for c in cards)
    (prompt, *_) = chat.of_kind("JudgeVerdict")
    # The closest pattern and the cases, as the built-in retrieval found them, are the judge's context.
    assert builtin.pattern.title in prompt.system
    assert all(r.title in prompt.system for r in builtin.related)
    assert prompt.system.index(builtin.pattern.title) < prompt.system.index(builtin.related[0].title)


def test_padding_cannot_lift_the_stuffing_cap_on_the_llm_path(counted_scorer: Scorer) -> None:
    builtin = counted_scorer.score(PADDED)
    # The built-in analysis judges stuffing without the filler; counted over the raw answer (what the LLM
    # path used to do) the padding would hide it.
    assert builtin.keyword_stuffed and not keyword_stuffed(PADDED)
    assert builtin.overall <= 15
    # A judge one level above the built-in scorer everywhere: within the tolerance, so its levels are used.
    judged = {c: min(4, level + 1) for c, level in builtin.levels.items()}
    chat = ScriptedChat(JudgeVerdict=judge_reply(judged, PADDED))

    card = _review(counted_scorer, chat, PADDED)

    assert isinstance(card.llm, JudgeReview) and card.llm.levels == judged and not card.llm.disagreements
    assert card.keyword_stuffed
    assert card.overall <= 15 and all(level <= 1 for level in card.levels.values())
    assert sum(card.levels.values()) <= 3  # the cap's budget: at most three levels of 1


def test_without_padding_both_paths_agree_on_the_cap(counted_scorer: Scorer) -> None:
    builtin = counted_scorer.score(STUFFED)
    assert builtin.keyword_stuffed and keyword_stuffed(STUFFED)
    judged = {c: min(4, level + 1) for c, level in builtin.levels.items()}
    card = _review(counted_scorer, ScriptedChat(JudgeVerdict=judge_reply(judged, STUFFED)), STUFFED)
    assert card.overall <= 15
