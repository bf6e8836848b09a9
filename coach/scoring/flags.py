"""The flags on a scorecard, decided from the analysed answer: one pure function, `decide_flags`.

`blame`, `disguised_success` and `off_topic` follow the rubric's rulings rather than single phrases: blame is
an outside party made the cause with nothing owned beside it (or the failure spread over everyone); a
disguised success is a success told as the failure, not a later success in the lesson or its application;
off topic is an answer that tells no work story with a failure in it (a failure in private life, or work
with nothing gone wrong), whatever the model's vocabulary reading says; the model's reading of a sentence as
owning up to a miss only keeps an answer on topic, where its words name no failure. The word cues live in `coach.scoring.cues` (and the injection forms in the lexicon, because
the scorer sets instructions aside before it reads the answer).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from coach.rubric import COMPONENTS, Flag
from coach.scoring import agency, cues, lexicon

TOO_SHORT, TOO_LONG = 120, 450
OFF_TOPIC_AT = 0.5
# A story is set at work when it has a few work nouns and more of them than of the teller's private life; it
# is set in private life when it is not set at work and names two things of it (or one and nothing of work).
SETTING_WORK, SETTING_LIFE = 2, 2
# With fewer first-person words than this and no failure, nobody is telling a story: an essay, an advert.
STORY_FIRST_PERSON = 2
# With no failure in its words, an answer still tells one when the model reads a sentence as owning up to a
# miss or drawing a lesson from it: these readings only keep an answer on topic, never put it off.
MISS_READ, LESSON_READ = 0.3, 0.5
_ACKNOWLEDGE, _LEARN = COMPONENTS.index("acknowledge"), COMPONENTS.index("learn")
VERSE_LINES, VERSE_WORDS = 6, 9
_LATER = (COMPONENTS.index("learn"), COMPONENTS.index("apply"))
# "I never launch without a test now" is today's habit, not the cause of the failure.
_HABIT = re.compile(r"\b(?:now|nowadays|these days|today|since then|always|going forward|from then on)\b")


class Analysed(Protocol):
    """What the flags read from the scorer's analysis (coach.scoring.scorer.Analysis)."""

    @property
    def sentences(self) -> tuple[str, ...]: ...
    @property
    def probs(self) -> np.ndarray: ...
    @property
    def dropped(self) -> tuple[str, ...]: ...
    @property
    def injected(self) -> tuple[str, ...]: ...
    @property
    def off_topic(self) -> float: ...


def decide_flags(text: str, analysis: Analysed, words: int) -> list[str]:
    """The rubric's flags for one analysed answer, in the rubric's order of concerns."""
    told = [s.lower() for s in analysis.sentences + analysis.dropped]
    flags: list[str] = []
    analyze = COMPONENTS.index("analyze")
    analyses = [
        s.lower() for s, p in zip(analysis.sentences, analysis.probs, strict=True) if p[analyze] >= 0.4
    ]
    if blames(list(analysis.sentences + analysis.dropped), analyses):
        flags.append(Flag.BLAME)
    if lexicon.count_numbers(" ".join(told)) == 0:
        flags.append(Flag.NO_METRICS)
    # A later success told in the lesson or its application is the point of the story, not a boast.
    framing = [
        s.lower()
        for s, p in zip(analysis.sentences, analysis.probs, strict=True)
        if int(p.argmax()) not in _LATER
    ] + [s.lower() for s in analysis.dropped]
    if disguises(framing, told):
        flags.append(Flag.DISGUISED_SUCCESS)
    if words < TOO_SHORT:
        flags.append(Flag.TOO_SHORT)
    if words > TOO_LONG:
        flags.append(Flag.TOO_LONG)
    if off_topic(told, analysis.off_topic, text, analysis.probs):
        flags.append(Flag.OFF_TOPIC)
    if analysis.injected or lexicon.has_score_block(text):
        flags.append(Flag.INJECTION)
    return flags


def owns(sentence: str) -> bool:
    """A first-person cause or an owned failure, in a lower-cased sentence, ownership denied left out."""
    plain = cues.DENIED.sub(" ", sentence)
    for match in cues.OWNED.finditer(plain):
        if re.match(r"(?:i|we) never\b", match.group()) and _HABIT.search(plain):
            continue
        return True
    return False


def attributes(sentence: str) -> bool:
    """The failure put on someone or something other than the candidate, in a lower-cased sentence."""
    plain = cues.NOT_BLAMING.sub(" ", sentence)
    return bool(
        cues.EXTERNAL.search(plain)
        or cues.DENIED.search(plain)
        or lexicon.BLAME.search(plain)
        or cues.FAULTLESS.search(plain)
        or cues.CHANCE.search(plain)
    )


def owns_a_cause(sentence: str) -> bool:
    """Ownership that names a fault of the candidate's, not only "I own it" or the decision to launch."""
    return owns(cues.GENERIC_OWNERSHIP.sub(" ", sentence))


def finds_own_cause(sentence: str) -> bool:
    """An analysis sentence about the candidate's own campaign: a cause on their side, told as a finding."""
    return (
        not attributes(sentence)
        and not agency.told_of_others(sentence)
        and not lexicon.THIRD.search(sentence)
        and bool(cues.OWN_SIDE.search(sentence))
        and bool(
            lexicon.CAUSAL.search(sentence)
            or lexicon.CAUSAL_FRAME.search(sentence)
            or cues.FLAWED.search(sentence)
        )
    )


def blames(sentences: Sequence[str], analyses: Sequence[str] = ()) -> bool:
    """Blame by the ruling: put on others with no own-side cause beside it, or excused by sharing it.

    `sentences` in their own case: "IT" is a department, "it" a pronoun. Who is to blame is read from the
    subjects of the clauses that say what failed (`coach.scoring.agency`), beside the word cues.
    """
    low = [s.lower() for s in sentences]
    if any(cues.SHARED_EXCUSE.search(s) or cues.DISOWNED.search(cues.NOT_BLAMING.sub(" ", s)) for s in low):
        return True
    outside = agency.outside_causes(sentences)
    if not outside and not any(attributes(s) for s in low) and not agency.others_campaign(sentences):
        return False
    # An answer that calls its own work faultless is answered only by a fault it names as its own.
    if any(cues.FAULTLESS.search(cues.NOT_BLAMING.sub(" ", s)) for s in low):
        return not any(owns_a_cause(s) for s in low)
    return not any(owns(s) for s in low) and not any(finds_own_cause(s) for s in analyses)


def disguises(framing: list[str], told: list[str]) -> bool:
    """A success told as the failure: in the failure's framing, not in the lesson or what came after."""
    framing = [s for s in framing if not cues.NOT_A_BOAST.search(s)]
    if any(_reframes(s) for s in framing):
        return True
    # Demand outrunning supply, or a result above plan, is a boast only when nothing in the story missed.
    if any(cues.SHORTFALL.search(s) for s in told) or agency.against_plan(told)[0]:
        return False
    plain = [s for s in framing if not cues.COST.search(s)]
    return agency.against_plan(plain)[1] or any(
        cues.DISGUISED_DEMAND.search(s) or _legacy_boast(s) for s in plain
    )


def _reframes(sentence: str) -> bool:
    # "It was not a case of being too successful" names the boast only to deny it.
    return any(
        not cues.NEGATED.search(sentence[: m.start()]) for m in cues.DISGUISED_REFRAME.finditer(sentence)
    )


def _legacy_boast(sentence: str) -> bool:
    # The lexicon's own pattern (a feature of the trained model), less its one reading of a real miss
    # ("we underestimated how much the price mattered").
    return any(
        not m.group().startswith("underestimated how much") and not cues.NEGATED.search(sentence[: m.start()])
        for m in lexicon.DISGUISED.finditer(sentence)
    )


def at_work(sentences: list[str]) -> bool:
    """The story is set at work: told in the terms of a job more than in those of family, home or leisure."""
    text = " ".join(sentences)
    return _works(len(cues.WORK.findall(text)), len(cues.LIFE.findall(text)))


def _works(work: int, life: int) -> bool:
    return work >= SETTING_WORK and work > life


def verse(text: str) -> bool:
    """Short unpunctuated lines, many of them: a poem or lyric, not a spoken answer."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) < VERSE_LINES or any(re.match(r"[-*•\d]", ln) for ln in lines):
        return False
    short = sum(len(ln.split()) <= VERSE_WORDS for ln in lines)
    closed = sum(ln.endswith((".", ":", "?", "!")) for ln in lines)
    return short / len(lines) >= 0.8 and closed / len(lines) <= 0.4


def tells_a_failure(sentences: list[str], reads: np.ndarray | None = None) -> bool:
    """Something in the answer went wrong: in its words, in a figure below its plan, in someone blamed, or
    (when the scorer's sentence readings are given) in a sentence read as owning up to a miss or drawing a
    lesson from one. Failures are told in many more ways than any word list holds, so any of these counts."""
    return _worded_failure(sentences) or _read_as_failure(reads)


def _worded_failure(sentences: list[str]) -> bool:
    text = " ".join(sentences)
    return bool(
        cues.FAILED_STORY.search(text)
        or cues.SHORTFALL.search(text)
        or lexicon.FAILURE.search(text)
        or lexicon.HEDGE.search(text)
        or cues.EXTERNAL.search(text)
        or agency.against_plan(sentences)[0]
    )


def _read_as_failure(reads: np.ndarray | None) -> bool:
    return (
        reads is not None
        and len(reads) > 0
        and bool(reads[:, _ACKNOWLEDGE].max() >= MISS_READ or reads[:, _LEARN].max() >= LESSON_READ)
    )


def off_topic(
    sentences: list[str], model_probability: float, text: str = "", reads: np.ndarray | None = None
) -> bool:
    """Not an answer to the question: another kind of text, no work story with a failure in it, or the
    question dodged. `reads`: the scorer's class probabilities for the sentences it kept, if any."""
    if not sentences:
        return True
    joined = " ".join(sentences)
    if cues.NO_FAILURE.search(joined) or verse(text):
        return True
    # Counted once: on a 400-word answer each pattern pass costs a tenth of a millisecond.
    work, life = len(cues.WORK.findall(joined)), len(cues.LIFE.findall(joined))
    story = _works(work, life) and bool(cues.FAILED_STORY.search(joined))
    genre = len(cues.GENRE.findall(joined))
    if genre >= 2 and (not story or 2 * genre >= work):
        return True
    # Nothing went wrong and no one telling it (an essay, an advert), or nothing went wrong in the words nor
    # in how the model reads the sentences (a routine, a job description, a holiday).
    if not (story or _worded_failure(sentences)) and (
        len(cues.FIRST_PERSON.findall(joined)) < STORY_FIRST_PERSON or not _read_as_failure(reads)
    ):
        return True
    # A failure in the teller's private life (family, home, a hobby, a trip) is a story, but not about work.
    if not _works(work, life) and (life >= SETTING_LIFE or (life and not work)):
        return True
    # A work story with a failure in it is on topic, whatever its vocabulary; one that dodges the question is not.
    dodged = bool(cues.SIDESTEP.search(joined))
    return model_probability >= OFF_TOPIC_AT and (dodged or not story)
