"""A sharper interviewer's follow-up question from the LLM, aimed at the answer's weakest component."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coach.llm.judge import DEFAULT_QUESTION, format_context
from coach.llm.prompts import Prompt, load_template, make_fence, rubric_text
from coach.rubric import ComponentName
from coach.scorecard import Scorecard

QUESTION_CHARS = 300


class FollowUpQuestion(BaseModel):
    """What the follow-up prompt must return."""

    model_config = ConfigDict(extra="forbid")

    question: str
    component: ComponentName


def build_follow_up_prompt(answer: str, card: Scorecard, question: str | None) -> Prompt:
    fence = make_fence(answer)
    levels = "\n".join(f"- {c}: {level}" for c, level in card.levels.items())
    return load_template("follow_up").render(
        question=question or DEFAULT_QUESTION,
        levels=levels,
        rubric=rubric_text(),
        context=format_context(card.related),
        open=fence.open,
        close=fence.close,
        answer=answer,
    )


def usable_question(text: str) -> str | None:
    """One interviewer's question, or None: the page then keeps the built-in follow-up."""
    text = " ".join(text.split())
    if not text.endswith("?") or len(text) > QUESTION_CHARS:
        return None
    return text
