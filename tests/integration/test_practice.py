"""The practice workflow over a real SQLite database: save first, score, follow up, try again, compare."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coach.config import Settings
from coach.practice.workflow import (
    SCORING_FAILED,
    TURNS_KEY,
    Practice,
    card_from_dict,
    format_elapsed,
    make_practice,
    question_choices,
    surprise,
    transcript_lines,
    transcript_text,
    voice_available,
    word_band,
)
from coach.retrieval.corpus import Question
from coach.rubric import COMPONENTS
from coach.scorecard import ComponentScore, Scorecard
from coach.scoring.scorer import Scorer
from coach.storage.permissions import Actor, NotFound
from coach.storage.store import Storage, make_storage
from tests.conftest import CORPUS

EXAMPLE_1 = (Path(__file__).parents[1] / "data" / "rubric_example_1.txt").read_text().strip()
QUESTION = Question("failed-campaign", "Explain a digital marketing campaign you led that failed.")
PASSWORD = "practice-makes-perfect"


def card(*levels: int, refused: str | None = None) -> Scorecard:
    return Scorecard(
        overall=round(sum(levels) / 5 * 25),
        components={
            c: ComponentScore(level, (), f"feedback {c}") for c, level in zip(COMPONENTS, levels, strict=True)
        },
        flags=(),
        follow_up="What did the data show?",
        scorer="scripted",
        refused=refused,
    )


class ScriptedScorer:
    """Returns the given cards in turn and remembers what it was asked; an exception in the script is raised."""

    version = "scripted-1"

    def __init__(self, *results: Scorecard | Exception) -> None:
        self.results = list(results)
        self.seen: list[tuple[str, str | None]] = []
        self.on_score: list[Callable[[], None]] = []

    def score(self, answer: str, *, question: str | None = None) -> Scorecard:
        self.seen.append((answer, question))
        for check in self.on_score:
            check()
        result = self.results.pop(0)
        if isinstance(result, Exception):
            raise result
        return result


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'coach.db'}",
        argon2_time_cost=1,
        argon2_memory_kib=8192,
    )
    built = make_storage(settings)
    yield built
    built.close()


@pytest.fixture
def actor(storage: Storage) -> Actor:
    storage.accounts.create_user_from_shell("Acme", "cand@acme.example", "candidate", PASSWORD)
    return storage.accounts.sign_in("cand@acme.example", PASSWORD).actor


def _practice(storage: Storage, scorer: ScriptedScorer | Scorer) -> Practice:
    return make_practice(storage.transcripts, lambda: scorer)


def test_the_answer_is_committed_before_the_scorer_runs(
    storage: Storage, actor: Actor, tmp_path: Path
) -> None:
    scorer = ScriptedScorer(card(2, 2, 2, 2, 2))
    # A second connection sees the attempt while the scorer is still running: it was committed first.
    other = make_storage(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'coach.db'}"))
    seen: list[tuple[str, str]] = []

    def look() -> None:
        (attempt,) = other.transcripts.list_attempts(actor)
        seen.append((attempt.answer, attempt.status))

    scorer.on_score.append(look)
    try:
        outcome = _practice(storage, scorer).submit(actor, QUESTION, "My answer about a campaign.")
    finally:
        other.close()
    assert seen == [("My answer about a campaign.", "unscored")]
    assert outcome.attempt.status == "scored" and outcome.card is not None and outcome.card.overall == 50
    assert scorer.seen == [("My answer about a campaign.", QUESTION.text)]
    assert outcome.attempt.scorecards[0].scorer_version == "scripted-1"
    assert outcome.attempt.scorecards[0].result[TURNS_KEY] == 0


def test_a_failing_scorer_leaves_the_attempt_unscored_and_score_again_fixes_it(
    storage: Storage, actor: Actor
) -> None:
    scorer = ScriptedScorer(RuntimeError("model file corrupt"), card(3, 3, 3, 3, 3))
    practice = _practice(storage, scorer)
    failed = practice.submit(actor, QUESTION, "An answer that must not be lost.")
    assert failed.error == SCORING_FAILED and failed.card is None and not failed.scored
    (stored,) = storage.transcripts.list_attempts(actor)
    assert (stored.answer, stored.status) == ("An answer that must not be lost.", "unscored")
    assert practice.open(actor, stored.id).error == SCORING_FAILED

    fixed = practice.score_again(actor, stored.id)
    assert fixed.error is None and fixed.card is not None and fixed.card.overall == 75
    assert storage.transcripts.get_attempt(actor, stored.id).status == "scored"


def test_a_scorer_that_cannot_even_load_is_a_scoring_failure(storage: Storage, actor: Actor) -> None:
    def missing() -> Scorer:
        raise FileNotFoundError("no model")

    outcome = make_practice(storage.transcripts, missing).submit(actor, QUESTION, "Still saved.")
    assert outcome.error == SCORING_FAILED
    assert storage.transcripts.list_attempts(actor)[0].answer == "Still saved."


def test_the_follow_up_is_stored_and_the_whole_exchange_scored(storage: Storage, actor: Actor) -> None:
    scorer = ScriptedScorer(card(2, 2, 1, 2, 2), card(2, 3, 3, 2, 2))
    practice = _practice(storage, scorer)
    first = practice.submit(actor, QUESTION, "The first answer.")
    assert first.changes == ()
    after = practice.answer_follow_up(
        actor, first.attempt.id, "What did the data show?", "Sign-ups were 40% short."
    )

    assert scorer.seen[-1] == ("The first answer.\n\nSign-ups were 40% short.", QUESTION.text)
    assert [(t.question, t.answer) for t in after.attempt.turns] == [
        ("What did the data show?", "Sign-ups were 40% short.")
    ]
    assert len(after.attempt.scorecards) == 2
    assert after.attempt.scorecards[-1].result[TURNS_KEY] == 1
    (change,) = after.changes
    assert change.label == "since your answer before the follow-up"
    assert change.deltas == {"describe": 0, "acknowledge": 1, "analyze": 2, "learn": 0, "apply": 0}
    assert (change.overall_before, change.overall_after, change.overall_delta) == (45, 60, 15)
    assert transcript_lines(after.attempt) == [
        ("Interviewer", QUESTION.text),
        ("Candidate", "The first answer."),
        ("Interviewer", "What did the data show?"),
        ("Candidate", "Sign-ups were 40% short."),
    ]


def test_a_failed_follow_up_score_marks_the_exchange_unscored(storage: Storage, actor: Actor) -> None:
    scorer = ScriptedScorer(card(2, 2, 2, 2, 2), TimeoutError("slow"), card(3, 3, 3, 3, 3))
    practice = _practice(storage, scorer)
    first = practice.submit(actor, QUESTION, "The first answer.")
    failed = practice.answer_follow_up(actor, first.attempt.id, "Why?", "Because of the timing.")
    assert failed.error == SCORING_FAILED and failed.card is None
    stored = storage.transcripts.get_attempt(actor, first.attempt.id)
    assert stored.status == "unscored" and len(stored.turns) == 1  # the reply is kept
    again = practice.score_again(actor, first.attempt.id)
    assert again.card is not None and again.card.overall == 75
    assert scorer.seen[-1][0] == "The first answer.\n\nBecause of the timing."


def test_change_since_compares_a_retry_with_the_attempt_it_retried_and_nothing_else(
    storage: Storage, actor: Actor
) -> None:
    other = Question("missed-targets", "Tell me about a campaign that missed its targets.")
    scorer = ScriptedScorer(
        card(1, 1, 1, 1, 1),
        card(0, 0, 0, 0, 0, refused="too short"),
        card(4, 4, 4, 4, 4),
        card(3, 2, 1, 2, 4),
        card(2, 2, 2, 2, 2),
        card(2, 2, 2, 2, 2),
    )
    practice = _practice(storage, scorer)
    first = practice.submit(actor, QUESTION, "First try.")
    refused = practice.submit(actor, QUESTION, "x")
    unrelated = practice.submit(actor, other, "Another question.")
    assert unrelated.changes == ()
    retry = practice.submit(actor, QUESTION, "Third try.", retry_of=first.attempt.id)
    assert retry.attempt.retry_of == first.attempt.id
    (change,) = retry.changes
    assert change.label.startswith("since your previous attempt (")
    assert change.deltas == {"describe": 2, "acknowledge": 1, "analyze": 0, "learn": 1, "apply": 3}
    assert change.overall_delta == 60 - 25
    # A brand-new answer to the same question is not a retry: nothing to compare, though older ones exist.
    fresh = practice.submit(actor, QUESTION, "A new story.")
    assert fresh.changes == ()
    # Retrying a refused attempt: nothing scored to compare with.
    assert practice.submit(actor, QUESTION, "Again.", retry_of=refused.attempt.id).changes == ()
    assert len(storage.transcripts.list_attempts(actor)) == 6  # every attempt kept
    assert practice.open(actor, retry.attempt.id).changes == retry.changes  # read back the same


def test_a_retry_of_a_deleted_attempt_compares_with_nothing(storage: Storage, actor: Actor) -> None:
    practice = _practice(
        storage, ScriptedScorer(card(1, 1, 1, 1, 1), card(3, 3, 3, 3, 3), card(2, 2, 2, 2, 2))
    )
    first = practice.submit(actor, QUESTION, "First try.")
    retry = practice.submit(actor, QUESTION, "Second try.", retry_of=first.attempt.id)
    assert len(retry.changes) == 1
    storage.withdrawals.delete_attempt(actor, first.attempt.id)
    assert practice.open(actor, retry.attempt.id).changes == ()
    practice.submit(actor, QUESTION, "Third.")  # a newer attempt is never what a retry retried
    assert practice.open(actor, retry.attempt.id).changes == ()


def test_retrying_someone_elses_attempt_is_not_found(storage: Storage, actor: Actor) -> None:
    storage.accounts.create_user_from_shell("Acme", "other@acme.example", "candidate", PASSWORD)
    other = storage.accounts.sign_in("other@acme.example", PASSWORD).actor
    practice = _practice(storage, ScriptedScorer(card(1, 1, 1, 1, 1)))
    theirs = practice.submit(other, QUESTION, "Their answer.")
    with pytest.raises(NotFound):
        practice.submit(actor, QUESTION, "Mine.", retry_of=theirs.attempt.id)
    assert storage.transcripts.list_attempts(actor) == []


def test_open_reads_without_loading_the_scorer(storage: Storage, actor: Actor) -> None:
    saved = _practice(storage, ScriptedScorer(card(2, 2, 2, 2, 2))).submit(actor, QUESTION, "An answer.")

    def never() -> Scorer:
        raise AssertionError("open() must not load the scorer")

    opened = make_practice(storage.transcripts, never).open(actor, saved.attempt.id)
    assert opened.card is not None and opened.card.levels == dict.fromkeys(COMPONENTS, 2)


def test_the_real_scorer_on_example_1(storage: Storage, actor: Actor, scorer: Scorer) -> None:
    outcome = _practice(storage, scorer).submit(actor, QUESTION, EXAMPLE_1)
    assert outcome.card is not None and "no_metrics" in outcome.card.flags
    assert all(outcome.card.components[c].level >= 1 for c in COMPONENTS)
    stored = storage.transcripts.get_attempt(actor, outcome.attempt.id)
    assert card_from_dict(stored.scorecards[-1].result) == outcome.card
    assert outcome.card.transcript_turns == 0
    # What the page renders right after the submit is what reading the attempt back gives.
    assert make_practice(storage.transcripts, lambda: scorer).open(actor, outcome.attempt.id) == outcome


def test_a_scorecard_survives_the_round_trip_through_json(scorer: Scorer) -> None:
    original = scorer.score(EXAMPLE_1, question=QUESTION.text)
    assert Scorecard.model_validate(original.model_dump(mode="json")) == original
    assert Scorecard.model_validate_json(original.model_dump_json()) == original
    # A key a newer coach may add does not stop this one reading the card.
    assert card_from_dict({**original.to_dict(), "judge": {"x": 1}}) == original


def test_transcript_text_leaves_out_the_interviewer(storage: Storage, actor: Actor) -> None:
    practice = _practice(storage, ScriptedScorer(card(1, 1, 1, 1, 1), card(1, 1, 1, 1, 1)))
    first = practice.submit(actor, QUESTION, "Answer.")
    after = practice.answer_follow_up(actor, first.attempt.id, "What did the data show?", "Reply.")
    assert transcript_text(after.attempt) == "Answer.\n\nReply."


def test_question_choices_put_the_bank_first_then_the_organisation(storage: Storage, actor: Actor) -> None:
    settings = Settings(corpus_dir=CORPUS)
    bank = question_choices(settings=settings)
    assert bank[0].id == "failed-campaign" and bank[0].words == (250, 350)
    storage.accounts.create_user_from_shell("Acme", "t@acme.example", "trainer", PASSWORD)
    trainer = storage.accounts.sign_in("t@acme.example", PASSWORD).actor
    storage.questions.add_question(trainer, "agency-blame", "Tell me about a time an agency let you down.")
    choices = question_choices(storage.questions, actor, settings)
    assert [q.id for q in choices[: len(bank)]] == [q.id for q in bank]
    assert choices[-1].id == "org/agency-blame"


def test_surprise_never_repeats_the_current_question() -> None:
    questions = question_choices(settings=Settings(corpus_dir=CORPUS))
    rng = random.Random(7)
    assert all(surprise(questions, "failed-campaign", rng).id != "failed-campaign" for _ in range(50))
    assert surprise(questions[:1], questions[0].id).id == questions[0].id  # no other choice


@pytest.mark.parametrize(
    ("words", "status", "text"),
    [
        (0, "empty", "0 words · aim for 250–350"),
        (132, "short", "132 words · 118 short of the 250–350 target"),
        (250, "within", "250 words · within the 250–350 target"),
        (350, "within", "350 words · within"),
        (400, "long", "400 words · 50 over the 250–350 target"),
    ],
)
def test_word_band(words: int, status: str, text: str) -> None:
    band = word_band(" ".join(["word"] * words))
    assert band.status == status and band.message.startswith(text)


def test_format_elapsed_and_voice_switch() -> None:
    assert [format_elapsed(s) for s in (0, 9.7, 61, 754, -3)] == ["0:00", "0:09", "1:01", "12:34", "0:00"]
    assert not voice_available(Settings(llm_model=None, llm_transcription_base_url=None))
    assert voice_available(Settings(llm_transcription_base_url="http://127.0.0.1:9/v1"))
    assert voice_available(Settings(llm_model="m", llm_base_url="http://127.0.0.1:9/v1"))
