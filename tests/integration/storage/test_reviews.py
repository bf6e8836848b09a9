"""Hiring review in storage, on SQLite and PostgreSQL: blind entry, the reasons a gap of two needs, revisions
with their history, the organisation's policy, and who sees what."""

from __future__ import annotations

import pytest

from coach.rubric import COMPONENTS
from coach.storage.permissions import Actor, Forbidden, NotFound
from coach.storage.review_queue import QueueQuery
from coach.storage.reviews import ReviewError
from coach.storage.store import Storage
from tests.integration.conftest import stored_card_dict
from tests.integration.storage.conftest import MakeUser, ManualClock

COACH = (3, 3, 2, 2, 1)  # the coach's levels in the scored attempt below


def _levels(*values: int) -> dict[str, int]:
    return dict(zip(COMPONENTS, values, strict=True))


@pytest.fixture
def team(storage: Storage, make_user: MakeUser) -> dict[str, Actor]:
    return {
        "cand": make_user("Acme", "cand@acme.example", "candidate"),
        "rita": make_user("Acme", "rita@acme.example", "reviewer"),
        "rex": make_user("Acme", "rex@acme.example", "reviewer"),
        "admin": make_user("Acme", "admin@acme.example", "admin"),
        "gil": make_user("Globex", "gil@globex.example", "reviewer"),
    }


@pytest.fixture
def attempt(storage: Storage, team: dict[str, Actor]) -> int:
    t = storage.transcripts
    attempt_id = t.save_attempt(
        team["cand"], question_id="q", question_text="A failure?", answer="It missed.", shared=True
    )
    t.record_scorecard(team["cand"], attempt_id, stored_card_dict(*COACH), "builtin-test")
    return attempt_id


def test_blind_by_default_the_coach_and_other_reviews_stay_hidden_until_ones_own_is_in(
    storage: Storage, team: dict[str, Actor], attempt: int
) -> None:
    reviews = storage.reviews
    assert reviews.policy(team["rita"]).blind is True
    sheet = reviews.sheet(team["rita"], attempt)
    assert sheet.coach_hidden and sheet.coach is None and sheet.attempt.scorecards == ()
    assert sheet.attempt.answer == "It missed."
    # Transcripts read the same way: no scorecard for a blind reviewer who has entered nothing.
    assert storage.transcripts.get_attempt(team["rita"], attempt).scorecards == ()

    with pytest.raises(ReviewError, match="needs a comment"):
        reviews.enter(team["rex"], attempt, _levels(*COACH), "  ")
    saved = reviews.enter(team["rex"], attempt, _levels(*COACH), "Matches the coach.")
    assert saved.saved and saved.gaps == () and saved.review.blind is True

    sheet = reviews.sheet(team["rita"], attempt)
    assert sheet.coach_hidden and sheet.others_hidden and sheet.attempt.reviews == ()
    with pytest.raises(NotFound):
        reviews.get_review(team["rita"], saved.review.id)

    mine = reviews.enter(team["rita"], attempt, _levels(3, 2, 2, 2, 1), "Thin acknowledgement.")
    sheet = reviews.sheet(team["rita"], attempt)
    assert not sheet.coach_hidden and sheet.coach is not None and not sheet.others_hidden
    assert sheet.mine == mine.review
    assert [r.comment for r in sheet.others] == ["Matches the coach."]
    assert reviews.get_review(team["rita"], saved.review.id).comment == "Matches the coach."


def test_a_gap_of_two_seals_the_entry_until_each_gap_has_a_one_line_reason(
    storage: Storage, team: dict[str, Actor], attempt: int
) -> None:
    reviews = storage.reviews
    # analyze 2 -> 4 and apply 1 -> 3: two gaps of two; describe 3 -> 2 is one level, no reason needed.
    entered = reviews.enter(
        team["rita"], attempt, _levels(2, 3, 4, 2, 3), "Strong analysis.", {"apply": "Named the relaunch."}
    )
    assert not entered.saved and entered.review.status == "pending"
    assert [(g.component, g.coach, g.reviewer) for g in entered.gaps] == [("analyze", 2, 4), ("apply", 1, 3)]
    assert entered.needs == ("analyze",)

    sheet = reviews.sheet(team["rita"], attempt)
    # Entered: the coach's levels are shown side by side now, the levels are sealed.
    assert not sheet.coach_hidden and sheet.pending is not None and sheet.mine is None
    assert [g.component for g in sheet.gaps] == ["analyze", "apply"]
    with pytest.raises(ReviewError, match="finish the review"):
        reviews.enter(team["rita"], attempt, _levels(*COACH), "Changed my mind after seeing the coach.")
    with pytest.raises(ReviewError, match="Analyze"):
        reviews.give_reasons(team["rita"], attempt, {"analyze": "   "})
    with pytest.raises(ReviewError, match="one line"):
        reviews.give_reasons(team["rita"], attempt, {"analyze": "x" * 301})
    # Nothing counts yet: no review in force, nobody else sees it.
    assert storage.review_queue.page(team["rex"], QueueQuery()).rows[0].reviews == 0

    done = reviews.give_reasons(team["rita"], attempt, {"analyze": "She found the\nlanding-page cause."})
    assert done.saved and done.review.reasons == {
        "analyze": "She found the landing-page cause.",
        "apply": "Named the relaunch.",
    }
    assert done.review.levels.model_dump() == _levels(2, 3, 4, 2, 3)
    assert done.review.blind is True


def test_revising_keeps_the_history_and_one_review_in_force(
    storage: Storage, team: dict[str, Actor], attempt: int, clock: ManualClock
) -> None:
    reviews = storage.reviews
    first = reviews.enter(team["rita"], attempt, _levels(*COACH), "First look.")
    clock.advance(days=1)
    second = reviews.enter(team["rita"], attempt, _levels(3, 3, 3, 2, 1), "On reflection, better analysis.")
    assert second.saved and (first.review.revision, second.review.revision) == (1, 2)
    assert second.review.blind is False  # she had seen the coach's levels by then

    sheet = reviews.sheet(team["rita"], attempt)
    assert sheet.mine is not None and sheet.mine.comment == "On reflection, better analysis."
    assert [(r.revision, r.comment, r.status) for r in sheet.history] == [(1, "First look.", "replaced")]
    assert [r.comment for r in storage.transcripts.get_attempt(team["rita"], attempt).reviews] == [
        "On reflection, better analysis."
    ]
    with pytest.raises(NotFound):  # a replaced revision is history, not a review in force
        reviews.get_review(team["rita"], first.review.id)
    # A revision with a new gap waits for its reason; the review in force stays until then.
    pending = reviews.enter(team["rita"], attempt, _levels(1, 3, 2, 2, 1), "Weak set-up after all.")
    assert not pending.saved and pending.needs == ("describe",)
    assert reviews.sheet(team["rita"], attempt).mine == sheet.mine


def test_levels_comment_and_own_attempt_are_checked(
    storage: Storage, team: dict[str, Actor], attempt: int
) -> None:
    for bad in [{**_levels(*COACH), "apply": 5}, {"describe": 3}, {**_levels(*COACH), "extra": 1}]:
        with pytest.raises(ReviewError, match="level from 0 to 4"):
            storage.reviews.enter(team["rita"], attempt, bad, "comment")
    with pytest.raises(ReviewError, match="longer than"):
        storage.reviews.enter(team["rita"], attempt, _levels(*COACH), "x" * 20_001)
    with pytest.raises(Forbidden):
        storage.reviews.enter(team["cand"], attempt, _levels(*COACH), "my own")
    with pytest.raises(NotFound):
        storage.reviews.enter(team["gil"], attempt, _levels(*COACH), "other org")


def test_only_admins_set_the_policy_and_it_is_audited(storage: Storage, team: dict[str, Actor]) -> None:
    with pytest.raises(Forbidden):
        storage.reviews.set_policy(team["rita"], blind=False)
    changed = storage.reviews.set_policy(team["admin"], blind=False, candidates_see_reviews=True)
    assert (changed.blind, changed.candidates_see_reviews) == (False, True)
    assert storage.reviews.policy(team["cand"]) == changed
    assert storage.reviews.policy(team["gil"]).blind is True  # Globex keeps the default
    actions = {e.action for e in storage.audit.entries(team["admin"])}
    assert {"organisation.blind_review", "organisation.candidates_see_reviews"} <= actions


def test_without_blind_mode_everything_shows_at_once(
    storage: Storage, team: dict[str, Actor], attempt: int
) -> None:
    storage.reviews.set_policy(team["admin"], blind=False)
    storage.reviews.enter(team["rex"], attempt, _levels(*COACH), "")  # no comment needed either
    sheet = storage.reviews.sheet(team["rita"], attempt)
    assert not sheet.coach_hidden and not sheet.others_hidden and len(sheet.others) == 1
    entered = storage.reviews.enter(team["rita"], attempt, _levels(*COACH), "")
    assert entered.review.blind is False


def test_candidates_see_reviews_only_when_their_organisation_allows(
    storage: Storage, team: dict[str, Actor], attempt: int
) -> None:
    review = storage.reviews.enter(team["rita"], attempt, _levels(*COACH), "Own the number.").review
    t = storage.transcripts
    assert t.get_attempt(team["cand"], attempt).reviews == ()
    assert t.get_attempt(team["cand"], attempt).scorecards != ()  # their own scorecards, always
    with pytest.raises(NotFound):
        storage.reviews.get_review(team["cand"], review.id)
    assert storage.personal_data.export(team["cand"])["attempts"][0]["reviews_received"] == []

    storage.reviews.set_policy(team["admin"], candidates_see_reviews=True)
    assert [r.comment for r in t.get_attempt(team["cand"], attempt).reviews] == ["Own the number."]
    assert storage.reviews.get_review(team["cand"], review.id).comment == "Own the number."
    exported = storage.personal_data.export(team["cand"])["attempts"][0]["reviews_received"]
    assert [r["comment"] for r in exported] == ["Own the number."]


def test_the_coach_card_is_the_current_one_not_a_stale_one(
    storage: Storage, team: dict[str, Actor], attempt: int
) -> None:
    """After a follow-up that failed to score, the newest card describes the answer without the follow-up:
    reviewers get no coach card (and no gap rule) until the whole exchange is scored."""
    t, cand = storage.transcripts, team["cand"]
    storage.reviews.set_policy(team["admin"], blind=False)
    t.add_turn(cand, attempt, "What did the data show?", "Nothing useful.")
    t.mark_unscored(cand, attempt)  # the follow-up's scoring failed: the attempt waits for a score
    sheet = storage.reviews.sheet(team["rita"], attempt)
    assert sheet.coach is None and len(sheet.attempt.scorecards) == 1  # kept, but not current
    row = storage.review_queue.page(team["rita"], QueueQuery()).rows[0]
    assert row.coach_overall is None and not row.scored
    # With no current card there is nothing to differ from: no reasons asked.
    assert storage.reviews.enter(team["rita"], attempt, _levels(0, 0, 0, 0, 4), "").saved

    t.record_scorecard(cand, attempt, stored_card_dict(1, 1, 1, 1, 1), "builtin-test")
    sheet = storage.reviews.sheet(team["rita"], attempt)
    assert sheet.coach is not None and sheet.coach.result["overall"] == 25
    assert storage.review_queue.page(team["rita"], QueueQuery()).rows[0].coach_overall == 25
