"""Coaching in the candidate's own terms: what each part needs next, and the interviewer's follow-up."""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np

from coach.rubric import COMPONENTS, Flag
from coach.scoring import lexicon

QUOTE_CHARS = 110
# When two parts are equally weak, an interviewer probes ownership and diagnosis first.
FOLLOW_UP_PRIORITY = ("acknowledge", "analyze", "apply", "learn", "describe")


def quote(sentence: str, limit: int = QUOTE_CHARS) -> str:
    s = " ".join(sentence.split()).rstrip(".")
    return s if len(s) <= limit else s[: limit - 1].rsplit(" ", 1)[0] + "…"


_METRIC_NAMES = {
    "sign up": "sign-ups",
    "signup": "sign-ups",
    "sign-up": "sign-ups",
    "ctr": "click-through",
    "roi": "ROI",
    "cac": "CAC",
    "cpa": "CPA",
    "roas": "ROAS",
    "nps": "NPS",
    "ltv": "LTV",
}
_CHANNEL_NAMES = {
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "seo": "SEO",
    "sms": "SMS",
    "ppc": "PPC",
    "tv": "TV",
    "ooh": "OOH",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "twitter": "Twitter",
    "snapchat": "Snapchat",
    "pinterest": "Pinterest",
    "google ads": "Google Ads",
}


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    found = lexicon.matches(pattern, text)
    if not found:
        return None
    word = found[0]
    return _METRIC_NAMES.get(word) or _CHANNEL_NAMES.get(word) or word


def _a(phrase: str) -> str:
    """The indefinite article English wants before `phrase`."""
    return ("an " if phrase[:1].lower() in "aeio" or phrase[:3] in ("SEO", "SMS") else "a ") + phrase


# What the next level of each part asks for, as a test on one evidence sentence: the quote shown is the
# evidence sentence that already has the most of it, and advice never asks for what the evidence has.
_SUPPLIES = {
    "describe": lambda s: lexicon.count_numbers(s) > 0 or bool(lexicon.matches(lexicon.TIME, s)),
    "acknowledge": lambda s: lexicon.count_numbers(s) > 0,
    "analyze": lambda s: bool(lexicon.matches(lexicon.EVIDENCE, s)),
    "learn": lambda s: bool(lexicon.matches(lexicon.LESSON, s) or lexicon.matches(lexicon.PROCESS, s)),
    "apply": lambda s: lexicon.count_numbers(s) > 0,
}


def supplies(name: str, sentence: str) -> bool:
    """Whether `sentence` already gives what `name`'s next level asks for (a number, a method, a lesson)."""
    return _SUPPLIES[name](sentence)


def judged(name: str, evidence: dict[str, list[str]]) -> str | None:
    """The sentence the part's level rests on: always one of its evidence sentences, never another.

    Among the evidence, the one that already has what the next level needs (for learn: the lesson, not a
    finding); ties go to the earliest.
    """
    shown = evidence.get(name) or []
    if not shown:
        return None
    return next((s for s in shown if supplies(name, s)), shown[0])


# Advice that says something is missing: only ever given when no evidence sentence supplies it.
ABSENT = "absent"
SUPPLIED_NEXT: dict[str, str] = {
    "describe": "{said} For a 4, make sure the goal, the audience and your own role sit beside that scale.",
    "acknowledge": '{said} The gap is there; now own it in so many words ("that was my call").',
    "analyze": "{said} For a 4, separate the causes: which one mattered most, and what did you rule out?",
    "learn": "{said} For a 4, show how it changed your principles or process, in one crisp sentence.",
    "apply": "{said} For a 4, tie that result back to the lesson: what did you do differently to get it?",
}
OFF_TOPIC_MESSAGE = (
    "This doesn't answer the question (a campaign or project you led that failed, and what you learned), so "
    "there is nothing here to coach part by part. Tell one real failure from your work, then score it again."
)


_NEXT: dict[str, dict[int, str]] = {
    "describe": {
        0: "There is no picture of the campaign yet. Open with its goal, who it was for, the channel, and that you led it.",
        1: "{said} That hints at a campaign but not what it was for. Name it and its goal: what was it meant to achieve?",
        2: '{said} Add who it targeted, the channels and strategy, and your own role ("I led...").',
        3: "{said} For a 4, add the scale: the budget, the timeframe, or the target you set{metric_hint}.",
        4: "{said} Clear set-up: goal, audience, channel, your role and the scale.",
    },
    "acknowledge": {
        0: "You never say what missed. State plainly what fell short of expectations, and that it was yours to own.",
        1: "{said} That softens or deflects the failure. Say plainly what missed and own it.",
        2: "{said} Drop the hedge and own it, then put a number on the gap{metric_question}",
        3: "{said} For a 4, name the missed metric and the gap{metric_question}",
        4: "{said} Owned, with the metric and the size of the gap.",
    },
    "analyze": {
        0: "You don't say why it failed. Give the cause (targeting, channel, message, timing, offer or execution) and how you found it.",
        1: "{said} That is a generic cause. What specifically went wrong, and what in the data showed it?",
        2: "{said} One plausible cause. Tie it to what you observed{channel_hint}: which number moved, where in the funnel?",
        3: "{said} For a 4, show how you diagnosed the root cause (post-mortem, survey, A/B test, data breakdown) and what you ruled out.",
        4: "{said} A diagnosed root cause with evidence.",
    },
    "learn": {
        0: "There is no lesson yet. Say what the failure taught you about marketing and about your own approach.",
        1: "{said} That is a platitude. What exactly did you learn, following from the cause you found?",
        2: "{said} Make the lesson specific to this failure and usable elsewhere: what rule do you follow now?",
        3: "{said} For a 4, show how it changed your principles or process, in one crisp sentence.",
        4: "{said} A lesson that changed how you work, stated crisply.",
    },
    "apply": {
        0: "You don't say what you did with the lesson. Name a later campaign or a process change that used it.",
        1: "{said} That is a promise, not evidence. Describe a campaign where you actually applied the lesson.",
        2: "{said} Name the later campaign or process change, and what you did differently.",
        3: "{said} For a 4, add the measured result of that later campaign{metric_result}.",
        4: "{said} Applied, with a measured result.",
    },
}


def feedback(
    levels: dict[str, int],
    evidence: dict[str, list[str]],
    sentences: tuple[str, ...],
    probs: np.ndarray,
    flags: list[str],
) -> dict[str, str]:
    """Per part: what the next level needs, read from the same evidence and level the scorecard shows.

    A quote is always one of the part's evidence sentences; "you never say..." is only said of a part with
    no evidence; an answer off the question gets one honest message instead of per-part coaching.
    """
    if Flag.OFF_TOPIC in flags:
        return dict.fromkeys(COMPONENTS, OFF_TOPIC_MESSAGE)
    text = " ".join(sentences)
    metric = _first(lexicon.METRIC, text)
    channel = _first(lexicon.CHANNEL, text)
    out = {}
    for name in COMPONENTS:
        level = levels[name]
        judged_sentence = judged(name, evidence)
        said = f'You say "{quote(judged_sentence)}".' if judged_sentence else ""
        if not judged_sentence:
            # Nothing on the card for this part: the advice says so, whatever the level model said.
            template = _NEXT[name][0]
        elif level == 0:
            template = _NEXT[name][1]
        elif level < 4 and supplies(name, judged_sentence) and _ASKS_FOR_IT[name](level):
            template = SUPPLIED_NEXT[name]
        else:
            template = _NEXT[name][level]
        message = template.format(
            said=said,
            metric_hint=f" (for {metric}, what number?)" if metric else "",
            metric_question=(
                f": {metric} fell short, but by how much against the target?"
                if metric
                else ' ("we reached 40% of the sign-up target").'
            ),
            channel_hint=f" in the {channel} results" if channel else "",
            metric_result=f" (what happened to {metric}?)"
            if metric
            else ' ("ROI up 35% on the next three launches")',
        )
        if name == "acknowledge" and Flag.BLAME in flags:
            message += " Blame on others or outside factors costs you here: own your part first."
        if name == "acknowledge" and Flag.DISGUISED_SUCCESS in flags:
            message += " A success dressed as a failure will not convince an interviewer: pick a real miss."
        out[name] = message
    return out


# The level templates that ask for exactly what `supplies` tests ("put a number on the gap"): when the
# quoted evidence already has it, the advice moves on to what is still missing.
_ASKS_FOR_IT = {
    "describe": lambda level: level == 3,
    "acknowledge": lambda level: level in (2, 3),
    "analyze": lambda level: level == 3,
    "learn": lambda level: False,
    "apply": lambda level: level == 3,
}


_BLAMED = re.compile(
    r"\b(?:the|our|my) (agency|vendor|partners?|sales team|creative team|designers?|developers?|engineering|"
    r"boss|ceo|client|algorithm|market|economy|platform|product team)\b",
    re.I,
)


def follow_up(
    levels: dict[str, int],
    evidence: dict[str, list[str]],
    sentences: tuple[str, ...],
    flags: list[str],
    question: str | None = None,
    probed: Collection[str] = (),
) -> str:
    """The interviewer's next line: aimed at the weakest part not in `probed` (the parts earlier follow-ups
    asked about), in the answer's own terms; once every part is probed or strong, a stretch question."""
    text = " ".join(sentences)
    if "describe" not in probed and (Flag.OFF_TOPIC in flags or not sentences):
        return (
            "That doesn't sound like a marketing campaign. Can you tell me about a campaign you led "
            "that didn't meet its goals, and what you learned from it?"
        )
    channel = _first(lexicon.CHANNEL, text)
    metric = _first(lexicon.METRIC, text)
    campaign = f"{channel} campaign" if channel else "campaign"
    blamed = _BLAMED.search(text)
    if "acknowledge" in probed:
        flags = [f for f in flags if f not in (Flag.BLAME, Flag.DISGUISED_SUCCESS)]
    if Flag.BLAME in flags and blamed:
        return (
            f"You mentioned {blamed.group(0).lower()}. Setting them aside, which part of the outcome was yours, "
            "and what would you do differently?"
        )
    if Flag.DISGUISED_SUCCESS in flags:
        return "That sounds like it went rather well. Tell me about one that genuinely missed its target: what happened?"
    open_parts = [c for c in FOLLOW_UP_PRIORITY if c not in probed] or [FOLLOW_UP_PRIORITY[0]]
    weakest = min(open_parts, key=lambda c: (levels[c], FOLLOW_UP_PRIORITY.index(c)))
    if levels[weakest] >= 4 or weakest in probed:
        return (
            f"If you ran that {campaign} again tomorrow with half the budget, what would you cut first, "
            "and how would you know it was working within the first two weeks?"
        )
    if weakest == "describe":
        return f"Let's step back: what was the {campaign} meant to achieve, for whom, and what exactly was your role?"
    if weakest == "acknowledge":
        if metric:
            return f"You mentioned {metric}. What was the target, where did it actually land, and whose call was the plan?"
        return "What exactly fell short, against what target, and which decisions were yours?"
    if weakest == "analyze":
        return (
            f"How did you work out why the {campaign} missed? What did the data show, and what other causes did "
            "you rule out?"
        )
    if weakest == "learn":
        return f"If you had to boil this down to one rule you now follow when planning {_a(campaign)}, what would it be?"
    tail = f"what happened to {metric}" if metric else "what were the results"
    return f"Have you run {_a(campaign)} since? What did you do differently, and {tail}?"


QUERY_WORDS = 60


def retrieval_query(evidence: dict[str, list[str]], sentences: tuple[str, ...]) -> str:
    """Text to find similar cases with: the analysis first, then what the campaign was and what missed."""
    parts = evidence["analyze"] + evidence["describe"][:1] + evidence["acknowledge"][:1]
    if not parts:
        parts = list(sentences[:4])
    # The query is embedded by the full encoder, whose cost grows with its length: the first 60 words (the
    # analysis leads) find the same cases at a fraction of the 256-token cost.
    return " ".join(" ".join(parts).split()[:QUERY_WORDS])
