"""The rubric's own facts, in one place: the five components in order, the levels, the flags, the overall.

Everything else in the coach (the scorer, the LLM judge's schema, the review form, the exports, the pages)
takes these from here. The prose the LLM reads is coach/llm/templates/rubric.md; both follow shared/RUBRIC.md.
Imports nothing else from coach.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Literal, get_args

# The five components, in the order a strong answer gives them.
ComponentName = Literal["describe", "acknowledge", "analyze", "learn", "apply"]
COMPONENTS: tuple[str, ...] = get_args(ComponentName)

COMPONENT_NAMES: dict[str, str] = {c: c.capitalize() for c in COMPONENTS}
# What each component asks for, in one line.
COMPONENT_QUESTIONS: dict[str, str] = {
    "describe": "the campaign: goal, audience, channels, your role",
    "acknowledge": "what missed, owned by you, no blame",
    "analyze": "why it missed, and how you found out",
    "learn": "the takeaway, about marketing and about yourself",
    "apply": "where you used the lesson, and what it changed",
}

# Every component gets a level from 0 to 4.
Level = Literal[0, 1, 2, 3, 4]
LEVELS: tuple[int, ...] = get_args(Level)
MAX_LEVEL = LEVELS[-1]
LEVEL_MEANINGS: dict[int, str] = {
    0: "absent",
    1: "hinted at, vague or generic",
    2: "present and plain: stated, but without specifics",
    3: "specific: concrete to this campaign",
    4: "specific and strong: evidence or numbers, clear ownership, a causal link to the other parts",
}
# The overall score runs from 0 to 100: the mean of the five levels times this.
OVERALL_PER_LEVEL = 25


class Flag(StrEnum):
    """Flags stand beside the score, never hidden in it."""

    BLAME = "blame"
    NO_METRICS = "no_metrics"
    DISGUISED_SUCCESS = "disguised_success"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    OFF_TOPIC = "off_topic"
    INJECTION = "injection"

    @property
    def display_name(self) -> str:
        return _FLAG_DISPLAY[self]

    @property
    def explanation(self) -> str:
        return _FLAG_EXPLANATIONS[self]


# The flag names as a type, for JSON schemas (the LLM judge's); kept equal to `Flag` by the check below.
FlagName = Literal[
    "blame", "no_metrics", "disguised_success", "too_short", "too_long", "off_topic", "injection"
]
FLAG_NAMES: tuple[str, ...] = tuple(Flag)
if get_args(FlagName) != FLAG_NAMES:  # pragma: no cover - a guard for whoever edits one and not the other
    raise AssertionError("rubric.FlagName and rubric.Flag list different flags")

_FLAG_DISPLAY = {
    Flag.BLAME: "Blame",
    Flag.NO_METRICS: "No metrics",
    Flag.DISGUISED_SUCCESS: "Disguised success",
    Flag.TOO_SHORT: "Too short",
    Flag.TOO_LONG: "Too long",
    Flag.OFF_TOPIC: "Off topic",
    Flag.INJECTION: "Instructions to the scorer",
}
_FLAG_EXPLANATIONS = {
    Flag.BLAME: "The failure is put on others or on outside factors: own it instead.",
    Flag.NO_METRICS: "No number, percentage or measured result anywhere: quantify the miss and the later result.",
    Flag.DISGUISED_SUCCESS: "The “failure” reads like a success in disguise: choose a real miss.",
    Flag.TOO_SHORT: "Under about 120 words: too thin for a two-minute answer (aim for 250–350).",
    Flag.TOO_LONG: "Over about 450 words: longer than two minutes spoken (aim for 250–350).",
    Flag.OFF_TOPIC: "This does not read as an answer about a campaign that failed.",
    Flag.INJECTION: "The answer tries to instruct the scorer; that text was ignored.",
}
FLAG_EXPLANATIONS: dict[str, str] = {f.value: f.explanation for f in Flag}


def explain_flag(flag: str) -> str:
    """The flag's one-line explanation, for any flag name (an unknown one is named as it is)."""
    return FLAG_EXPLANATIONS.get(flag, f"Flag {flag!r} raised by the scorer.")


def overall(levels: Mapping[str, int]) -> int:
    """The rubric's overall, 0 to 100: the mean of the five levels times 25."""
    return round(sum(levels[c] for c in COMPONENTS) / len(COMPONENTS) * OVERALL_PER_LEVEL)


def overall_of_total(total: int) -> int:
    """The overall from the sum of the five levels."""
    return round(total / len(COMPONENTS) * OVERALL_PER_LEVEL)
