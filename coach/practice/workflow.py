"""The practice workflow: an answer saved before scoring, its follow-ups, retries, and what changed."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from coach.config import Settings, get_settings
from coach.practice.interview import FollowUp, judge_reply, next_follow_up, replay
from coach.practice.pending import AnswerKept, Flushed, PendingAnswer, PendingAnswers
from coach.retrieval.corpus import Question, load_questions
from coach.rubric import COMPONENTS
from coach.scorecard import Scorecard
from coach.scoring.segmenter import word_count
from coach.storage.database import StorageUnavailable
from coach.storage.permissions import Actor
from coach.storage.question_bank import QuestionBank
from coach.storage.records import AttemptRecord, ScorecardRecord
from coach.storage.transcripts import Transcripts

log = logging.getLogger(__name__)

SCORING_FAILED = (
    "Your answer is saved, but scoring it failed. Nothing is lost: press “Score again” to retry, "
    "or find it later on the History page."
)
ORG_PREFIX = "org/"  # question ids of an organisation's own questions, beside the built-in bank's
# The stored result's key for how many follow-ups the scored transcript held (Scorecard.transcript_turns).
TURNS_KEY = "transcript_turns"


class AnswerScorer(Protocol):
    """What the practice flow needs from a scorer (the built-in one, or anything shaped like it)."""

    @property
    def version(self) -> str: ...

    def score(self, answer: str, *, question: str | None = None) -> Scorecard: ...


@dataclass(frozen=True)
class Change:
    """One scorecard against an earlier one: the overall score and every component's level."""

    label: str
    overall_before: int
    overall_after: int
    before: dict[str, int]
    after: dict[str, int]

    @property
    def overall_delta(self) -> int:
        return self.overall_after - self.overall_before

    @property
    def deltas(self) -> dict[str, int]:
        return {c: self.after[c] - self.before[c] for c in COMPONENTS}


@dataclass(frozen=True)
class Outcome:
    """An attempt as the practice page shows it: the record, its newest scorecard, what changed."""

    attempt: AttemptRecord
    card: Scorecard | None  # None: stored but not scored (yet)
    error: str | None = None
    changes: tuple[Change, ...] = ()
    follow_up: FollowUp | None = None  # the interviewer's next question; None: the interview is over
    unanswered: str | None = None  # the reply just sent did not answer the follow-up: why, in a line

    @property
    def scored(self) -> bool:
        return self.card is not None


@dataclass(frozen=True)
class WordBand:
    count: int
    low: int
    high: int
    status: Literal["empty", "short", "within", "long"]
    message: str


def card_from_dict(data: Mapping[str, Any]) -> Scorecard:
    """A stored scorecard (the JSON of `Scorecard.model_dump`, old rows included) back as a Scorecard."""
    return Scorecard.model_validate(data)


def stored_card(record: ScorecardRecord | None) -> Scorecard | None:
    return None if record is None else Scorecard.model_validate(record.result)


def transcript_text(attempt: AttemptRecord) -> str:
    """The candidate's own words across the exchange, as the scorer reads them.

    The interviewer's follow-up questions are left out: the scorer judges what the candidate said,
    and a question's words ("what did the data show?") must not count as the candidate's analysis.
    """
    return "\n\n".join([attempt.answer, *(turn.answer for turn in attempt.turns)])


def transcript_lines(attempt: AttemptRecord) -> list[tuple[str, str]]:
    """The exchange as (speaker, text): the question, the answer, then each follow-up and its answer."""
    lines = [("Interviewer", attempt.question_text), ("Candidate", attempt.answer)]
    for turn in attempt.turns:
        lines += [("Interviewer", turn.question), ("Candidate", turn.answer)]
    return lines


def _change(label: str, before: Scorecard, after: Scorecard) -> Change:
    return Change(label, before.overall, after.overall, before.levels, after.levels)


def _scorable(card: Scorecard | None) -> bool:
    return card is not None and not card.refused


class Practice:
    """Save first, then score: an exception in the scorer never loses an answer.

    Each action runs one way through the store: save (or read) the attempt once, score it, record the
    scorecard, and build the outcome from what is already in hand; the only other read is one query for the
    previous attempt's scorecard. The scorer comes from a factory, called only when something is scored:
    reading attempts back never waits for a model to load.
    """

    def __init__(self, transcripts: Transcripts, scorer: Callable[[], AnswerScorer]) -> None:
        self.transcripts = transcripts
        self._scorer = scorer

    def submit(
        self, actor: Actor | None, question: Question, answer: str, *, retry_of: int | None = None
    ) -> Outcome:
        """Commit the answer as "unscored", then score it. `retry_of`: the attempt "Try again" retries.

        Raises AnswerKept, holding the answer, when the database cannot take it now (`save_pending` saves it
        later); once the attempt is committed, a database lost while scoring leaves it saved and unscored.
        """
        started = datetime.now(UTC)
        try:
            attempt = self.transcripts.create_attempt(
                actor, question_id=question.id, question_text=question.text, answer=answer, retry_of=retry_of
            )
        except StorageUnavailable as exc:
            raise AnswerKept(PendingAnswer(question, answer, retry_of, str(exc), kept_at=started)) from exc
        return self._score(actor, attempt)

    def save_pending(self, actor: Actor | None, held: PendingAnswers) -> Flushed[Outcome]:
        """Save, then score, the answers an outage left in `held`; each leaves it once its attempt is committed.

        An attempt with the same text, made since the first try began, is taken as that try committed after
        all (a connection lost during COMMIT reports a failure that may not be one): it is not saved twice.
        """
        flushed = held.flush(lambda pending: self._save_pending(actor, pending))
        scored = tuple(self._score(actor, attempt) for attempt in flushed.saved)
        return Flushed(scored, flushed.held, flushed.reason)

    def submit_keeping(
        self,
        actor: Actor | None,
        held: PendingAnswers,
        question: Question,
        answer: str,
        *,
        retry_of: int | None = None,
        just_saved: tuple[Outcome, ...] = (),
    ) -> Outcome | None:
        """`submit`, with an outage's answers in `held`: None when the database could not take this one (it is
        held then, once). What `held` keeps is saved first; an answer saved that way, or in `just_saved` (this
        very page run), is not sent a second time when the candidate presses the button again."""
        if held:
            just_saved = (*just_saved, *self.save_pending(actor, held).saved)
        for outcome in just_saved:
            if (outcome.attempt.question_id, outcome.attempt.answer) == (question.id, answer):
                return outcome
        if held.holds(question.id, answer, retry_of):
            return None  # still down: held once, as it was
        try:
            return self.submit(actor, question, answer, retry_of=retry_of)
        except AnswerKept as kept:
            held.keep(kept.pending)
            return None

    def _save_pending(self, actor: Actor | None, pending: PendingAnswer) -> AttemptRecord:
        for earlier in self.transcripts.list_attempts(actor, since=pending.kept_at):
            if earlier.answer == pending.answer and earlier.question_text == pending.question.text:
                return earlier
        return self.transcripts.create_attempt(
            actor,
            question_id=pending.question.id,
            question_text=pending.question.text,
            answer=pending.answer,
            retry_of=pending.retry_of,
        )

    def score_again(self, actor: Actor | None, attempt_id: int) -> Outcome:
        """Score the whole transcript of a stored attempt (after a failure, or with a newer scorer); the last
        reply is judged against the exchange before it, replayed, so an ignored question still holds its part."""
        attempt = self.transcripts.get_attempt(actor, attempt_id)
        last = attempt.turns[-1] if attempt.turns else None
        if last is None or last.probes is None:  # no reply to judge against a part
            return self._score(actor, attempt)

        def judge(card: Scorecard) -> Scorecard:
            question = attempt.question_text
            before = replay(
                lambda text: self._scorer().score(text, question=question), attempt, len(attempt.turns) - 1
            )
            return judge_reply(card, before, FollowUp(last.question, last.probes), last.answer)

        return self._score(actor, attempt, judge)

    def answer_follow_up(
        self, actor: Actor | None, attempt_id: int, follow_up: FollowUp | str, answer: str
    ) -> Outcome:
        """Store the follow-up turn (the attempt waits for a score again), then score the exchange as one; a
        reply that does not address the part the question probed does not raise that part."""
        asked = follow_up if isinstance(follow_up, FollowUp) else FollowUp(follow_up, None)
        before = stored_card(self.transcripts.get_attempt(actor, attempt_id).current_scorecard)
        self.transcripts.add_turn(actor, attempt_id, asked.question, answer, asked.probes)
        attempt = self.transcripts.get_attempt(actor, attempt_id)
        return self._score(actor, attempt, lambda card: judge_reply(card, before, asked, answer))

    def open(self, actor: Actor | None, attempt_id: int) -> Outcome:
        """A stored attempt with its newest scorecard and what changed (read-only: nothing is scored)."""
        attempt = self.transcripts.get_attempt(actor, attempt_id)
        card = stored_card(attempt.latest_scorecard) if attempt.status == "scored" else None
        return self._outcome(actor, attempt, card, None if card is not None else SCORING_FAILED)

    def _score(
        self,
        actor: Actor | None,
        attempt: AttemptRecord,
        judge: Callable[[Scorecard], Scorecard] | None = None,
    ) -> Outcome:
        try:
            scorer = self._scorer()
            card = scorer.score(transcript_text(attempt), question=attempt.question_text)
            judged = judge(card) if judge is not None else card
        except Exception:
            # The scorer is replaceable code that may fail in any way; the answer is committed already.
            log.exception("scoring attempt %s failed; it stays unscored", attempt.id)
            return Outcome(attempt, None, SCORING_FAILED)
        unanswered = judged.notes[-1] if judged.notes != card.notes else None
        card = judged.revised(transcript_turns=len(attempt.turns))
        try:
            saved = self.transcripts.add_scorecard(
                actor, attempt.id, card.model_dump(mode="json"), scorer.version
            )
            scored = replace(
                attempt, status="scored", updated_at=saved.created_at, scorecards=(*attempt.scorecards, saved)
            )
            return replace(self._outcome(actor, scored, card, None), unanswered=unanswered)
        except StorageUnavailable:
            # The answer is committed; only its score is not. "Score again" finishes the job later.
            log.warning("the database went away while scoring attempt %s; it stays unscored", attempt.id)
            return Outcome(attempt, None, SCORING_FAILED)

    def _outcome(
        self, actor: Actor | None, attempt: AttemptRecord, card: Scorecard | None, error: str | None
    ) -> Outcome:
        changes: list[Change] = []
        if card is not None and _scorable(card):
            changes += self._since_first_answer(attempt, card)
            changes += self._since_previous_attempt(actor, attempt, card)
        follow_up = next_follow_up(attempt, card, transcript_text(attempt))
        return Outcome(attempt, card, error, tuple(changes), follow_up)

    @staticmethod
    def _since_first_answer(attempt: AttemptRecord, card: Scorecard) -> list[Change]:
        """After a follow-up: the whole exchange against the answer alone (the attempt's cards are loaded)."""
        if not attempt.turns or len(attempt.scorecards) < 2:
            return []
        first = next(
            (c for c in map(stored_card, attempt.scorecards) if c is not None and not c.transcript_turns),
            None,
        )
        if first is None or not _scorable(first):
            return []
        return [_change("since your answer before the follow-up", first, card)]

    def _since_previous_attempt(
        self, actor: Actor | None, attempt: AttemptRecord, card: Scorecard
    ) -> list[Change]:
        """For "Try again": this attempt against the one it retried, and nothing else (a brand-new answer to the
        same question is not a retry)."""
        retried = self.transcripts.retried_scorecard(actor, attempt)
        if retried is None:
            return []
        when, record = retried
        before = stored_card(record)
        if before is None or not _scorable(before):
            return []
        return [_change(f"since your previous attempt ({when:%d %b %Y, %H:%M UTC})", before, card)]


def make_practice(transcripts: Transcripts, scorer: Callable[[], AnswerScorer]) -> Practice:
    return Practice(transcripts, scorer)


def question_choices(
    bank: QuestionBank | None = None, actor: Actor | None = None, settings: Settings | None = None
) -> list[Question]:
    """The built-in questions (the main one first), then the actor's organisation's own."""
    settings = settings or get_settings()
    questions = load_questions(Path(settings.corpus_dir) / "questions.yaml")
    if bank is not None and actor is not None:
        questions += [
            Question(id=f"{ORG_PREFIX}{q.key}", text=q.text, words=q.words, hint=q.hint)
            for q in bank.list_questions(actor)
        ]
    return questions


def surprise(
    questions: Sequence[Question], current: str | None = None, rng: random.Random | None = None
) -> Question:
    """A random question, other than the current one when there is a choice."""
    pool = [q for q in questions if q.id != current] or list(questions)
    return (rng or random.Random()).choice(pool)


BAND_ICONS = {"empty": "✎", "short": "⬆", "within": "✅", "long": "⬇"}


def band_messages(band: tuple[int, int] = (250, 350)) -> dict[str, str]:
    """The word count's wording per status, with {count}, {short} and {over} left to fill in: the answer box
    fills them in the browser at every keystroke (pages/_answer_box.js), `word_band` here."""
    low, high = band
    return {
        "empty": f"0 words · aim for {low}–{high} (about two minutes spoken)",
        "short": f"{{count}} words · {{short}} short of the {low}–{high} target",
        "within": f"{{count}} words · within the {low}–{high} target",
        "long": f"{{count}} words · {{over}} over the {low}–{high} target",
    }


def word_band(text: str, band: tuple[int, int] = (250, 350)) -> WordBand:
    """The word count against the spoken-answer target band."""
    count, (low, high) = word_count(text), band
    status: Literal["empty", "short", "within", "long"] = (
        "empty" if count == 0 else "short" if count < low else "long" if count > high else "within"
    )
    message = band_messages(band)[status].format(count=count, short=low - count, over=count - high)
    return WordBand(count, low, high, status, message)


def format_elapsed(seconds: float) -> str:
    """Minutes and seconds, as a timer shows them."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def voice_available(settings: Settings | None = None) -> bool:
    """True when a transcription endpoint is configured (the same test `coach.llm.transcription` applies)."""
    settings = settings or get_settings()
    return bool(settings.llm_enabled or settings.llm_transcription_base_url)
