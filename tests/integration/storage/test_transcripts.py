"""Transcripts: the answer is committed before scoring, failed scoring leaves it "unscored", and the rest."""

from __future__ import annotations

import pytest

from coach.config import Settings
from coach.storage.permissions import NotFound
from coach.storage.reviews import ReviewError
from coach.storage.store import Storage, make_storage
from coach.storage.transcripts import TranscriptError
from tests.integration.storage.conftest import MakeUser, ManualClock

QUESTION = "Explain a digital marketing campaign you led that failed. What did you learn?"
ANSWER = "I led a spring email campaign for our app; sign-ups reached 40% of the target. " * 4


def test_save_attempt_commits_before_returning(
    storage: Storage, storage_settings: Settings, make_user: MakeUser
) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    attempt_id = storage.transcripts.save_attempt(
        cand, question_id="failed-campaign", question_text=QUESTION, answer=ANSWER
    )
    # A second, independent engine (another process would do the same) sees it at once.
    other = make_storage(storage_settings)
    try:
        seen = other.transcripts.get_attempt(cand, attempt_id)
    finally:
        other.close()
    assert (seen.answer, seen.question_text, seen.status, seen.shared) == (
        ANSWER,
        QUESTION,
        "unscored",
        False,
    )


def test_several_scorecards_per_attempt_and_mark_unscored(storage: Storage, make_user: MakeUser) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    attempt_id = storage.transcripts.save_attempt(
        cand, question_id="q", question_text=QUESTION, answer=ANSWER
    )
    storage.transcripts.record_scorecard(cand, attempt_id, {"overall": 40}, "rubric-1")
    storage.transcripts.mark_unscored(cand, attempt_id)
    assert storage.transcripts.get_attempt(cand, attempt_id).status == "unscored"
    storage.transcripts.record_scorecard(
        cand, attempt_id, {"overall": 55, "nested": {"a": [1, 2]}}, "rubric-2"
    )
    attempt = storage.transcripts.get_attempt(cand, attempt_id)
    assert attempt.status == "scored"
    assert [(c.scorer_version, dict(c.result)) for c in attempt.scorecards] == [
        ("rubric-1", {"overall": 40}),
        ("rubric-2", {"overall": 55, "nested": {"a": [1, 2]}}),
    ]
    with pytest.raises(TranscriptError, match="not JSON"):
        storage.transcripts.record_scorecard(cand, attempt_id, {"when": object()}, "rubric-3")
    with pytest.raises(TranscriptError, match="scorer version"):
        storage.transcripts.record_scorecard(cand, attempt_id, {}, " ")


def test_turns_keep_their_order(storage: Storage, make_user: MakeUser) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    attempt_id = storage.transcripts.save_attempt(
        cand, question_id="q", question_text=QUESTION, answer=ANSWER
    )
    assert storage.transcripts.add_turn(cand, attempt_id, "What was the target?", "10,000 sign-ups") == 1
    assert storage.transcripts.add_turn(cand, attempt_id, "How did you find the cause?", "A survey") == 2
    turns = storage.transcripts.get_attempt(cand, attempt_id).turns
    assert [(t.position, t.question, t.answer) for t in turns] == [
        (1, "What was the target?", "10,000 sign-ups"),
        (2, "How did you find the cause?", "A survey"),
    ]


def test_empty_or_huge_answers_are_refused(storage: Storage, make_user: MakeUser) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    with pytest.raises(TranscriptError, match="answer is empty"):
        storage.transcripts.save_attempt(cand, question_id="q", question_text=QUESTION, answer="  \n ")
    with pytest.raises(TranscriptError, match="longer than"):
        storage.transcripts.save_attempt(cand, question_id="q", question_text=QUESTION, answer="x" * 100_001)
    assert storage.transcripts.list_attempts(cand) == []


def test_unicode_and_long_answers_come_back_byte_for_byte(storage: Storage, make_user: MakeUser) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    answer = "Kampagne für Ü30 — 🎯 «échec» 失败 \x07 tab\there\n" * 2000  # about 80,000 characters
    attempt_id = storage.transcripts.save_attempt(
        cand, question_id="q", question_text=QUESTION, answer=answer
    )
    assert storage.transcripts.get_attempt(cand, attempt_id).answer == answer


def test_sharing_follows_the_organisation_default_unless_chosen(
    storage: Storage, make_user: MakeUser
) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    cand = make_user("Acme", "cand@acme.example", "candidate")
    reviewer = make_user("Acme", "rev@acme.example", "reviewer")

    def save(shared: bool | None) -> int:
        return storage.transcripts.save_attempt(
            cand, question_id="q", question_text=QUESTION, answer=ANSWER, shared=shared
        )

    private_default = save(None)
    storage.accounts.set_share_by_default(admin, True)
    shared_default = save(None)
    chosen_private = save(False)
    assert [storage.transcripts.get_attempt(cand, i).shared for i in (private_default, shared_default)] == [
        False,
        True,
    ]
    assert [a.id for a in storage.transcripts.list_shared_attempts(reviewer)] == [shared_default]
    storage.transcripts.set_shared(cand, chosen_private, True)
    storage.transcripts.set_shared(cand, shared_default, False)
    assert [a.id for a in storage.transcripts.list_shared_attempts(reviewer)] == [chosen_private]
    with pytest.raises(NotFound):
        storage.transcripts.get_attempt(reviewer, shared_default)


def test_listing_filters_by_question_and_date(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    other = make_user("Acme", "other@acme.example", "candidate")
    reviewer = make_user("Acme", "rev@acme.example", "reviewer")
    start = clock.now
    ids = []
    for day, question in enumerate(["failed-campaign", "missed-targets", "failed-campaign"]):
        ids.append(
            storage.transcripts.save_attempt(
                cand, question_id=question, question_text=QUESTION, answer=f"{ANSWER} {day}", shared=True
            )
        )
        clock.advance(days=1)
    storage.transcripts.save_attempt(
        other, question_id="failed-campaign", question_text=QUESTION, answer=ANSWER
    )
    listing = storage.transcripts.list_attempts
    assert [a.id for a in listing(cand)] == ids[::-1]
    assert [a.id for a in listing(cand, question_id="failed-campaign")] == [ids[2], ids[0]]
    assert [a.id for a in listing(cand, since=start.replace(hour=12))] == [ids[2], ids[1]]
    assert [a.id for a in listing(cand, until=start.replace(hour=12))] == [ids[0]]
    assert [a.created_at for a in listing(cand)][-1] == start
    shared = storage.transcripts.list_shared_attempts
    assert [a.id for a in shared(reviewer, question_id="missed-targets")] == [ids[1]]
    assert [a.id for a in shared(reviewer, candidate_id=other.user_id)] == []


def test_reviews(storage: Storage, make_user: MakeUser) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    reviewer = make_user("Acme", "rev@acme.example", "reviewer")
    attempt_id = storage.transcripts.save_attempt(
        cand, question_id="q", question_text=QUESTION, answer=ANSWER, shared=True
    )
    levels = {"describe": 3, "acknowledge": 4, "analyze": 2, "learn": 2, "apply": 0}
    review_id = storage.reviews.enter(
        reviewer, attempt_id, levels, "Say what you changed next time."
    ).review.id
    review = storage.reviews.get_review(reviewer, review_id)
    assert review.levels.model_dump() == levels
    assert (review.reviewer_id, review.comment) == (reviewer.user_id, "Say what you changed next time.")
    assert storage.transcripts.get_attempt(reviewer, attempt_id).reviews == (review,)
    # The candidate sees it only if the organisation allows (tests/integration/storage/test_reviews.py).
    assert storage.transcripts.get_attempt(cand, attempt_id).reviews == ()
    for bad in [{**levels, "apply": 5}, {**levels, "apply": -1}, {"describe": 3}, {**levels, "extra": 1}]:
        with pytest.raises(ReviewError, match="level from 0 to 4"):
            storage.reviews.enter(reviewer, attempt_id, bad, "comment")
