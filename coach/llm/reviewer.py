"""The LLM review of an answer: the built-in score always, the judge and rewrite on top, or a marked fallback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Protocol

from coach.config import Settings
from coach.llm.client import ChatClient, LLMFailure, Structured, make_chat
from coach.llm.follow_up import FollowUpQuestion, build_follow_up_prompt, usable_question
from coach.llm.judge import (
    JudgeVerdict,
    build_judge_prompt,
    first_sentence,
    merged_flags,
    quote_in_answer,
    reconcile,
)
from coach.llm.prompts import load_template
from coach.llm.rewrite import RewrittenAnswer, build_rewrite_prompt, check_rewrite
from coach.rubric import COMPONENTS, Flag
from coach.rubric import overall as overall_of
from coach.scorecard import FallbackReview, JudgedComponent, JudgeReview, Related, Rewrite, Scorecard
from coach.scoring.scorer import Scorer, apply_caps

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def _failure(exc: BaseException) -> LLMFailure:
    if isinstance(exc, LLMFailure):
        return exc
    # Anything else is a bug or a library surprise: still never worth losing the user's score over.
    log.exception("LLM call failed unexpectedly", exc_info=exc)
    return LLMFailure("invalid_output", f"the LLM call failed unexpectedly ({type(exc).__name__})")


class BuiltinScorer(Protocol):
    """What the reviewer needs of the built-in scorer (coach.scoring.scorer.Scorer): its card, retrieval
    and analysis included, which the review reuses rather than repeats."""

    def score(self, answer: str, *, question: str | None = None) -> Scorecard: ...


class Reviewer:
    """Runs the built-in scorer on every answer, asks the LLM for a verdict and a rewrite, cross-checks both."""

    def __init__(self, chat: ChatClient, scorer: BuiltinScorer) -> None:
        self.chat = chat
        self.scorer = scorer

    async def review(self, answer: str, *, question: str | None = None, rewrite: bool = True) -> Scorecard:
        card = self.scorer.score(answer, question=question)
        if card.refused:
            return card  # nothing to judge: the refusal tells the candidate what to fix
        judged, rewritten = await asyncio.gather(
            self.chat.ask(build_judge_prompt(answer, question, context(card)), JudgeVerdict),
            self._rewrite(answer, question) if rewrite else _nothing(),
            return_exceptions=True,
        )
        asked = Asked(
            model=self.chat.model,
            prompts={"judge": load_template("judge").version}
            | ({"rewrite": load_template("rewrite").version} if rewrite else {}),
            rewrite=rewritten if isinstance(rewritten, Rewrite) else None,
            rewrite_error=_failure(rewritten).message if isinstance(rewritten, BaseException) else None,
        )
        if isinstance(judged, BaseException):
            return fallback(card, _failure(judged), asked)
        return merge(card, judged, answer, asked)

    async def _rewrite(self, answer: str, question: str | None) -> Rewrite:
        reply = await self.chat.ask(build_rewrite_prompt(answer, question), RewrittenAnswer)
        return check_rewrite(reply.value, answer)

    async def follow_up(self, answer: str, card: Scorecard, question: str | None = None) -> str | None:
        """A sharper follow-up question, or None when the LLM gives no usable one."""
        if card.refused:
            return None
        try:
            reply = await self.chat.ask(build_follow_up_prompt(answer, card, question), FollowUpQuestion)
        except LLMFailure:
            return None
        return usable_question(reply.value.question)


async def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Asked:
    """What every review records, whether the judge answered or not: the model, the prompts, the rewrite."""

    model: str
    prompts: dict[str, str]
    rewrite: Rewrite | None
    rewrite_error: str | None


def context(card: Scorecard) -> list[Related]:
    """The judge's reference material: the closest failure pattern and the cases the built-in scorer found.

    Both come from the built-in scorer's own retrieval: the LLM path never searches the library again.
    """
    items = list(card.related)
    if card.pattern is not None and all(card.pattern.id != r.id for r in items):
        items.insert(0, card.pattern)
    return items


def merge(card: Scorecard, judged: Structured[JudgeVerdict], answer: str, asked: Asked) -> Scorecard:
    """The built-in card with the judge's levels where the cross-check allows them, and both views shown."""
    verdict = judged.value
    levels, conflicts = reconcile(card.levels, card.flags, verdict, answer)
    flags = merged_flags(card.flags, verdict)
    # The stuffing cap is the built-in analysis's verdict (made without filler), not recomputed here:
    # padding an answer must not lift the cap on one path and not the other.
    levels = apply_caps(levels, flags, card.keyword_stuffed)
    follow_up = None if Flag.INJECTION in card.flags else usable_question(verdict.follow_up)
    review = JudgeReview(
        model=asked.model,
        prompts=asked.prompts,
        rewrite=asked.rewrite,
        rewrite_error=asked.rewrite_error,
        repaired=judged.repaired,
        levels={c: verdict.component(c).level for c in COMPONENTS},
        builtin_levels=card.levels,
        components={
            c: JudgedComponent(
                level=verdict.component(c).level,
                quote=verdict.component(c).quote,
                quote_found=quote_in_answer(verdict.component(c).quote, answer),
                rationale=first_sentence(verdict.component(c).rationale),
            )
            for c in COMPONENTS
        },
        flags=tuple(Flag(f) for f in verdict.flags),
        follow_up=verdict.follow_up,
        feedback=" ".join(verdict.feedback.split()),
        disagreements=tuple(conflicts),
    )
    return card.revised(
        overall=overall_of(levels),
        components={c: replace(card.components[c], level=levels[c]) for c in COMPONENTS},
        flags=tuple(flags),
        follow_up=follow_up or card.follow_up,
        scorer=f"{card.scorer}+llm-{asked.prompts['judge']}",
        llm=review,
    )


def fallback(card: Scorecard, failure: LLMFailure, asked: Asked) -> Scorecard:
    """The built-in card as it is, marked as a fallback with the reason; a rewrite that did arrive is kept."""
    return card.revised(
        llm=FallbackReview(
            model=asked.model,
            prompts=asked.prompts,
            rewrite=asked.rewrite,
            rewrite_error=asked.rewrite_error,
            reason=failure.code,
            message=failure.message,
        )
    )


async def review_answer(
    scorer: Scorer, answer: str, settings: Settings, *, question: str | None = None, rewrite: bool = True
) -> Scorecard:
    """One answer; with no LLM configured, exactly the built-in scorecard."""
    if not settings.llm_enabled:
        return scorer.score(answer, question=question)
    async with make_chat(settings) as chat:
        return await Reviewer(chat, scorer).review(answer, question=question, rewrite=rewrite)


class ReviewingScorer:
    """The practice flow's scorer when an LLM is configured: `review_answer` behind a synchronous `score`.

    The built-in scorer runs on every answer; the card carries the judge's view, the rewrite and any
    disagreement in `card.llm`, or the built-in score marked as a fallback. It never raises for the LLM's sake.
    """

    def __init__(self, scorer: Scorer, settings: Settings) -> None:
        self.scorer = scorer
        self.settings = settings

    @property
    def version(self) -> str:
        return f"{self.scorer.version}+llm-{load_template('judge').version}"

    def score(self, answer: str, *, question: str | None = None) -> Scorecard:
        review = review_answer(self.scorer, answer, self.settings, question=question)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(review)
        # Called from inside an event loop: run the review on a loop of its own in a worker thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, review).result()


async def review_many(
    scorer: Scorer,
    items: Sequence[tuple[str, str | None]],
    settings: Settings,
    *,
    concurrency: int = 4,
    rewrite: bool = False,
    progress: Progress | None = None,
) -> list[Scorecard]:
    """Many (answer, question) pairs over one connection pool, at most `concurrency` at a time, in order."""
    if not settings.llm_enabled:
        cards = []
        for n, (answer, question) in enumerate(items, start=1):
            cards.append(scorer.score(answer, question=question))
            if progress:
                progress(n, len(items))
        return cards
    async with make_chat(settings) as chat:
        reviewer = Reviewer(chat, scorer)
        limit = asyncio.Semaphore(max(1, concurrency))
        results: list[Scorecard | None] = [None] * len(items)
        done = 0

        async def one(i: int, answer: str, question: str | None) -> None:
            nonlocal done
            async with limit:
                results[i] = await reviewer.review(answer, question=question, rewrite=rewrite)
            done += 1
            if progress:
                progress(done, len(items))

        await asyncio.gather(*(one(i, a, q) for i, (a, q) in enumerate(items)))
    return [r for r in results if r is not None]


async def follow_up_question(
    scorer: Scorer, answer: str, card: Scorecard, settings: Settings, *, question: str | None = None
) -> str:
    """The LLM's sharper follow-up when it gives one, else the built-in scorer's."""
    if settings.llm_enabled and not card.refused:
        async with make_chat(settings) as chat:
            asked = await Reviewer(chat, scorer).follow_up(answer, card, question)
        if asked:
            return asked
    return card.follow_up
