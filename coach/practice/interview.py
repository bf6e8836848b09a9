"""The interview loop: up to three follow-ups, each on the weakest part not yet probed, never the same question twice.

A reply is judged against the part it was asked about: if none of that part's evidence in the new scorecard
comes from the reply, the reply did not address the question, and that part stays where it was before the
reply (the other parts are scored as the scorer scores them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from coach.rubric import COMPONENT_NAMES, COMPONENT_QUESTIONS, COMPONENTS, MAX_LEVEL, Flag, overall
from coach.scorecard import ComponentScore, Scorecard
from coach.scoring import coaching
from coach.scoring.segmenter import split_sentences
from coach.storage.records import AttemptRecord

MAX_FOLLOW_UPS = 3


@dataclass(frozen=True)
class FollowUp:
    """The interviewer's next question, and the rubric part it probes (None: no part in particular)."""

    question: str
    probes: str | None


def _said(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def probed_parts(attempt: AttemptRecord) -> set[str]:
    return {turn.probes for turn in attempt.turns if turn.probes}


def _target(card: Scorecard, probed: set[str]) -> str | None:
    """The part to ask about next: the one a flag points at first, else the weakest unprobed part."""
    if Flag.OFF_TOPIC in card.flags and "describe" not in probed:
        return "describe"
    if {Flag.BLAME, Flag.DISGUISED_SUCCESS} & set(card.flags) and "acknowledge" not in probed:
        return "acknowledge"
    order = coaching.FOLLOW_UP_PRIORITY
    open_parts = [c for c in order if c not in probed and card.levels[c] < MAX_LEVEL]
    return min(open_parts, key=lambda c: (card.levels[c], order.index(c))) if open_parts else None


def next_follow_up(attempt: AttemptRecord, card: Scorecard | None, candidate_text: str) -> FollowUp | None:
    """The next question for this exchange, or None when the interview is over (three asked, nothing left to
    probe, or every question it could ask was asked already). `candidate_text`: the candidate's own words."""
    if card is None or card.refused or len(attempt.turns) >= MAX_FOLLOW_UPS:
        return None
    probed = probed_parts(attempt)
    asked = {_said(turn.question) for turn in attempt.turns}
    part = _target(card, probed)
    if not attempt.turns and card.follow_up:
        # The first question is the scorecard's own (the LLM's sharper one when it wrote one).
        return FollowUp(card.follow_up, part)
    sentences = tuple(s.text for s in split_sentences(candidate_text))
    evidence = {c: list(card.components[c].evidence) for c in COMPONENTS}
    while part is not None:
        others = set(COMPONENTS) - {part}
        question = coaching.follow_up(
            card.levels, evidence, sentences, list(card.flags), attempt.question_text, probed=others
        )
        if _said(question) not in asked:
            return FollowUp(question, part)
        probed.add(part)  # this part's question was asked already: on to the next part
        part = _target(card, probed)
    stretch = coaching.follow_up(
        card.levels, evidence, sentences, list(card.flags), attempt.question_text, probed=COMPONENTS
    )
    return None if _said(stretch) in asked else FollowUp(stretch, None)


def addressed(reply: str, part: str, card: Scorecard) -> bool:
    """True when some sentence the scorer took as evidence for `part` is in the reply."""
    said = _said(reply)
    return any(_said(sentence) and _said(sentence) in said for sentence in card.components[part].evidence)


def unanswered_note(part: str, level: int) -> str:
    name = COMPONENT_NAMES[part]
    return (
        f"Your reply did not answer the interviewer's question about {name} "
        f"({COMPONENT_QUESTIONS[part]}), so {name} stays at {level}/{MAX_LEVEL}."
    )


def replay(score: Callable[[str], Scorecard], attempt: AttemptRecord, turns: int) -> Scorecard:
    """The card of the answer and its first `turns` replies, each reply judged as it was when given: scoring an
    exchange again (a newer scorer, a failed score) must not raise a part a reply ignored."""
    said = [attempt.answer]
    card = score(attempt.answer)
    for turn in attempt.turns[:turns]:
        said.append(turn.answer)
        asked = FollowUp(turn.question, turn.probes)
        card = judge_reply(score("\n\n".join(said)), card, asked, turn.answer)
    return card


def judge_reply(card: Scorecard, before: Scorecard | None, follow_up: FollowUp, reply: str) -> Scorecard:
    """The exchange's card, with the probed part held at its level before the reply if the reply ignored it."""
    part = follow_up.probes
    if part is None or before is None or before.refused or card.refused or addressed(reply, part, card):
        return card
    held = min(card.levels[part], before.levels[part])
    score = card.components[part]
    components = {**card.components, part: ComponentScore(held, score.evidence, score.feedback)}
    levels = {c: components[c].level for c in COMPONENTS}
    return card.revised(
        components=components,
        overall=overall(levels),
        notes=(*card.notes, unanswered_note(part, held)),
    )
