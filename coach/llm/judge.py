"""The LLM judge's verdict, its prompt, and the cross-check that keeps the built-in level where they differ."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, create_model

from coach.llm.prompts import Prompt, load_template, make_fence, rubric_text
from coach.rubric import COMPONENTS, Flag, FlagName, Level
from coach.scorecard import Disagreement, Related

DEFAULT_QUESTION = (
    "Explain a digital marketing campaign you led that failed. What did you learn from that experience?"
)
DISAGREEMENT_LEVELS = 2  # the judge and the built-in scorer may differ by one level; two is a conflict
# Flags the judge may add to the built-in ones; the mechanical ones (length, numbers) and off_topic, which
# caps every level, stay the built-in scorer's call.
JUDGE_MAY_ADD = (Flag.BLAME, Flag.DISGUISED_SUCCESS, Flag.INJECTION)
RATIONALE_CHARS = 400


class ComponentJudgement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Level
    quote: str
    rationale: str


# One judgement per rubric component, in the rubric's order: the fields come from coach.rubric.
_Judgements = create_model(  # type: ignore[call-overload]
    "_Judgements", __config__=ConfigDict(extra="forbid"), **{c: (ComponentJudgement, ...) for c in COMPONENTS}
)


class JudgeVerdict(_Judgements):  # type: ignore[misc,valid-type]
    """What the judge must return; the JSON schema sent to the endpoint is generated from this."""

    model_config = ConfigDict(extra="forbid")

    flags: list[FlagName]
    follow_up: str
    feedback: str

    def component(self, name: str) -> ComponentJudgement:
        judgement: ComponentJudgement = getattr(self, name)
        return judgement


def format_context(related: Sequence[Related]) -> str:
    """Retrieved cases and patterns as the prompt's reference material, one short entry each."""
    if not related:
        return "(nothing retrieved)"
    return "\n".join(f'- {r.kind} "{r.title}" ({r.id}): {" ".join(r.why.split())[:500]}' for r in related)


def build_judge_prompt(answer: str, question: str | None, related: Sequence[Related]) -> Prompt:
    fence = make_fence(answer)
    return load_template("judge").render(
        question=question or DEFAULT_QUESTION,
        rubric=rubric_text(),
        context=format_context(related),
        open=fence.open,
        close=fence.close,
        answer=answer,
    )


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[\"'“”‘’`]", "", text).lower().split()).strip(" .,;:!?…")


def quote_in_answer(quote: str, answer: str) -> bool:
    """Whether the judge's quote is the candidate's words (case, spacing, quote marks and ends aside)."""
    q = _normal(quote)
    return bool(q) and q in _normal(answer)


def first_sentence(text: str, limit: int = RATIONALE_CHARS) -> str:
    text = " ".join(text.split())
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z])", text)
    sentence = text[: match.start()] if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def reconcile(
    builtin: dict[str, int], builtin_flags: Sequence[str], verdict: JudgeVerdict, answer: str
) -> tuple[dict[str, int], list[Disagreement]]:
    """Final levels: the judge's, except where it conflicts with the built-in scorer, which is then kept.

    A conflict is a gap of two or more levels, any gap at all on an answer the built-in scorer flags
    `injection` (the judge may have obeyed it), or a level above 0 whose quote is not in the answer.
    """
    injected = Flag.INJECTION in builtin_flags
    levels: dict[str, int] = {}
    conflicts: list[Disagreement] = []
    for c in COMPONENTS:
        ours, theirs = builtin[c], verdict.component(c).level
        reason = None
        if injected:
            # Equal levels need no note; any gap might be the judge obeying the answer.
            if ours != theirs:
                reason = "the answer tries to instruct the scorer (injection), so the built-in level stands"
        elif abs(ours - theirs) >= DISAGREEMENT_LEVELS:
            reason = f"the judge and the built-in scorer differ by {abs(ours - theirs)} levels"
        elif theirs > 0 and not quote_in_answer(verdict.component(c).quote, answer):
            reason = "the judge's quote is not in the answer"
        if reason:
            conflicts.append(Disagreement(c, ours, theirs, reason))
        levels[c] = ours if reason else theirs
    return levels, conflicts


def merged_flags(builtin_flags: Sequence[str], verdict: JudgeVerdict) -> list[str]:
    """The built-in flags, plus the judgement-call flags the judge saw, unless the answer is an injection."""
    flags = list(builtin_flags)
    if Flag.INJECTION not in flags:
        flags += [f for f in JUDGE_MAY_ADD if f in verdict.flags and f not in flags]
    return flags
