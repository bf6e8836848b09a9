"""A person's export holds all their data and no secrets; erasure removes the account and what it owns."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from coach.storage import tables as t
from coach.storage.accounts import AccountError, SignInError
from coach.storage.permissions import NotFound, NotSignedIn
from coach.storage.store import Storage
from tests.integration.storage.conftest import PASSWORD, MakeUser

LEVELS = {"describe": 3, "acknowledge": 3, "analyze": 2, "learn": 2, "apply": 1}


def _count(storage: Storage, table: type[t.Base], **where: int) -> int:
    with storage.database.reading() as session:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(getattr(table, column) == value)
        return int(session.scalar(query) or 0)


@pytest.fixture
def history(storage: Storage, make_user: MakeUser) -> dict[str, int]:
    """A candidate with two attempts (turns, scorecards, a review) and a reviewer who reviewed both."""
    cand = make_user("Acme", "cand@acme.example", "candidate")
    reviewer = make_user("Acme", "rev@acme.example", "reviewer")
    admin = make_user("Acme", "admin@acme.example", "admin")
    tr = storage.transcripts
    first = tr.save_attempt(cand, question_id="failed-campaign", question_text="Q1", answer="A1", shared=True)
    second = tr.save_attempt(cand, question_id="missed-targets", question_text="Q2", answer="A2", shared=True)
    tr.add_turn(cand, first, "What was the target?", "10k sign-ups")
    tr.record_scorecard(cand, first, {"overall": 50}, "rubric-1")
    tr.record_scorecard(cand, first, {"overall": 55}, "rubric-2")
    storage.reviews.enter(reviewer, first, LEVELS, "Good ownership.")
    storage.reviews.enter(reviewer, second, LEVELS, "Add numbers.")
    storage.reviews.set_policy(
        admin, candidates_see_reviews=True
    )  # else the candidate's export leaves them out
    return {"cand": cand.user_id, "reviewer": reviewer.user_id, "admin": admin.user_id, "first": first}


def test_export_has_everything_and_no_secrets(storage: Storage, history: dict[str, int]) -> None:
    signed_in = storage.accounts.sign_in("cand@acme.example", PASSWORD)
    exported = storage.personal_data.export(signed_in.actor)
    text = storage.personal_data.export_json(signed_in.actor)
    assert json.loads(text) == exported
    assert exported["format"] == "coach-export/1"
    assert exported["user"]["email"] == "cand@acme.example"
    assert exported["user"]["organisation"]["name"] == "Acme"
    attempts = exported["attempts"]
    assert [(a["question_id"], a["answer"], a["status"]) for a in attempts] == [
        ("failed-campaign", "A1", "scored"),
        ("missed-targets", "A2", "unscored"),
    ]
    first = attempts[0]
    assert [u["answer"] for u in first["turns"]] == ["10k sign-ups"]
    assert [c["result"] for c in first["scorecards"]] == [{"overall": 50}, {"overall": 55}]
    assert [(r["levels"], r["comment"]) for r in first["reviews_received"]] == [(LEVELS, "Good ownership.")]
    assert exported["reviews_written"] == []
    for secret in ("argon2", PASSWORD, signed_in.token, "password", "token"):
        assert secret not in text

    reviewer = storage.accounts.sign_in("rev@acme.example", PASSWORD).actor
    written = storage.personal_data.export(reviewer)["reviews_written"]
    assert [r["comment"] for r in written] == ["Good ownership.", "Add numbers."]


def test_export_is_for_oneself_only(storage: Storage, history: dict[str, int]) -> None:
    admin = storage.accounts.sign_in("admin@acme.example", PASSWORD).actor
    with pytest.raises(NotFound):
        storage.personal_data.export(admin, history["cand"])
    with pytest.raises(NotSignedIn):
        storage.personal_data.export(None)


def test_erasing_an_account_removes_it_and_everything_it_owns(
    storage: Storage, history: dict[str, int]
) -> None:
    signed_in = storage.accounts.sign_in("cand@acme.example", PASSWORD)
    with pytest.raises(SignInError):
        storage.accounts.sign_in("cand@acme.example", "a-wrong-password")
    assert _count(storage, t.Attempt, user_id=history["cand"]) == 2
    storage.personal_data.erase(signed_in.actor)
    assert storage.accounts.authenticate(signed_in.token) is None
    for table in (t.Attempt, t.Turn, t.Scorecard, t.Review, t.AuthSession, t.LoginFailure):
        assert _count(storage, table) == 0, table.__tablename__
    assert _count(storage, t.User, id=history["cand"]) == 0
    with pytest.raises(SignInError, match="wrong email or password"):
        storage.accounts.sign_in("cand@acme.example", PASSWORD)
    with pytest.raises(NotSignedIn):
        storage.transcripts.list_attempts(signed_in.actor)
    # The audit log records the erasure by ids, and holds no email.
    admin = storage.accounts.sign_in("admin@acme.example", PASSWORD).actor
    entries = storage.audit.entries(admin)
    assert ("user.erase", history["cand"]) in [(e.action, e.target_id) for e in entries]
    with storage.database.reading() as session:
        details = [json.dumps(e.detail) for e in session.scalars(select(t.AuditEntry))]
    assert not [d for d in details if "cand@acme.example" in d]


def test_reviews_written_by_an_erased_reviewer_stay_with_the_candidate(
    storage: Storage, history: dict[str, int]
) -> None:
    reviewer = storage.accounts.sign_in("rev@acme.example", PASSWORD).actor
    storage.personal_data.erase(reviewer)
    cand = storage.accounts.sign_in("cand@acme.example", PASSWORD).actor
    reviews = storage.transcripts.get_attempt(cand, history["first"]).reviews
    assert [(r.reviewer_id, r.comment) for r in reviews] == [(None, "Good ownership.")]


def test_admins_may_erase_users_of_their_own_organisation_only(
    storage: Storage, history: dict[str, int], make_user: MakeUser
) -> None:
    admin = storage.accounts.sign_in("admin@acme.example", PASSWORD).actor
    admin_b = make_user("Globex", "admin@globex.example", "admin")
    with pytest.raises(NotFound):
        storage.personal_data.erase(admin_b, history["cand"])
    reviewer = storage.accounts.sign_in("rev@acme.example", PASSWORD).actor
    with pytest.raises(NotFound):
        storage.personal_data.erase(reviewer, history["cand"])
    storage.personal_data.erase(admin, history["cand"])
    assert _count(storage, t.Attempt) == 0
    # The last admin of an organisation with members cannot erase themselves.
    with pytest.raises(AccountError, match="last admin"):
        storage.personal_data.erase(admin)
