"""The LLM rewrite of the candidate's own answer, checked so that it invents no number the answer lacks."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from coach.llm.judge import DEFAULT_QUESTION
from coach.llm.prompts import Prompt, load_template, make_fence, rubric_text
from coach.scorecard import Rewrite  # the checked rewrite, as the scorecard keeps it

MISSING_NUMBER = "[by how much?]"

_WORD_VALUES = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "dozen": 12,
}  # "one" is left out: "no one", "one lesson" are not quantities
_DIGITS = r"\d[\d,]*(?:\.\d+)?"
_WORDS = "|".join(_WORD_VALUES)
# A quantity with its currency and unit, so the whole of "$40k" or "35 percent" is replaced, not just "40".
QUANTITY = re.compile(
    rf"(?:[$£€]\s?)?(?:(?<![\w.]){_DIGITS}|\b(?:{_WORDS})\b)"
    r"(?:\s?(?:%|percent\b|per cent\b|k\b|m\b|bn\b|x\b|million\b|billion\b))?",
    re.I,
)
_NUMBER_PART = re.compile(rf"{_DIGITS}|\b(?:{_WORDS})\b", re.I)


class RewrittenAnswer(BaseModel):
    """What the rewriter must return."""

    model_config = ConfigDict(extra="forbid")

    rewrite: str
    missing: list[str]


def build_rewrite_prompt(answer: str, question: str | None) -> Prompt:
    fence = make_fence(answer)
    return load_template("rewrite").render(
        question=question or DEFAULT_QUESTION,
        rubric=rubric_text(),
        open=fence.open,
        close=fence.close,
        answer=answer,
    )


def _value(token: str) -> str:
    word = _WORD_VALUES.get(token.lower())
    if word is not None:
        return str(word)
    number = token.replace(",", "")
    return number.rstrip("0").rstrip(".") if "." in number else number


def numbers_in(text: str) -> set[str]:
    """Every number the text states, as normalised values ("forty" and "40" are both "40")."""
    return {_value(m.group()) for m in _NUMBER_PART.finditer(text)}


def check_rewrite(reply: RewrittenAnswer, answer: str) -> Rewrite:
    """Replace every quantity whose number is not in the candidate's answer with MISSING_NUMBER."""
    known = numbers_in(answer)
    removed: list[str] = []

    def mark(match: re.Match[str]) -> str:
        if all(_value(n.group()) in known for n in _NUMBER_PART.finditer(match.group())):
            return match.group()
        removed.append(match.group().strip())
        return MISSING_NUMBER

    text = QUANTITY.sub(mark, reply.rewrite)
    missing = [QUANTITY.sub(mark, m) for m in (" ".join(x.split()) for x in reply.missing) if m]
    if removed:
        missing.append(f"Numbers the coach could not find in your answer were replaced by {MISSING_NUMBER}.")
    return Rewrite(text.strip(), tuple(missing), tuple(removed))
