"""Issue 16 in storage, on both backends: drafts kept as the candidate types; deactivate, reactivate, re-invite."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coach.storage import tables as t
from coach.storage.drafts import MAX_DRAFT, DraftError
from coach.storage.members import AccountError, SignInError
from coach.storage.permissions import Forbidden
from coach.storage.store import Storage
from tests.integration.storage.conftest import MakeUser, ManualClock

LEVELS = {"describe": 3, "acknowledge": 2, "analyze": 2, "learn": 1, "apply": 1}


def _count(storage: Storage, table: type[t.Base], **where: object) -> int:
    with storage.database.reading() as session:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(getattr(table, column) == value)
        return int(session.scalar(query) or 0)


# --- drafts ----------------------------------------------------------------------------------------------


def test_a_draft_is_kept_per_user_and_question_and_replaced_as_the_candidate_types(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    ann = make_user("Acme", "ann@acme.example", "candidate")
    bob = make_user("Acme", "bob@acme.example", "candidate")
    drafts = storage.drafts
    assert drafts.get(ann, "q1") is None

    first = drafts.save(ann, "q1", "We launched <b>a</b> campaign")
    clock.advance(seconds=3)
    drafts.save(ann, "q1", "We launched <b>a</b> campaign that missed")
    drafts.save(ann, "q2", "Another story")
    drafts.save(bob, "q1", "Bob's own words")

    kept = drafts.get(ann, "q1")
    assert kept is not None and first is not None
    assert kept.text == "We launched <b>a</b> campaign that missed"  # kept exactly as typed
    assert kept.updated_at > first.updated_at
    assert [d.question_id for d in drafts.list(ann)] == ["q1", "q2"] or [
        d.question_id for d in drafts.list(ann)
    ] == ["q2", "q1"]
    assert {d.text for d in drafts.list(bob)} == {"Bob's own words"}
    assert _count(storage, t.Draft) == 3  # one row per user and question, however often saved


def test_saving_the_same_text_keeps_its_time_and_blank_text_drops_the_draft(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    ann = make_user("Acme", "ann@acme.example", "candidate")
    saved = storage.drafts.save(ann, "q1", "Same words")
    clock.advance(minutes=5)
    again = storage.drafts.save(ann, "q1", "Same words")
    assert saved is not None and again is not None and again.updated_at == saved.updated_at
    assert storage.drafts.save(ann, "q1", "   \n") is None
    assert storage.drafts.get(ann, "q1") is None


def test_a_draft_too_long_is_refused_with_a_message(storage: Storage, make_user: MakeUser) -> None:
    ann = make_user("Acme", "ann@acme.example", "candidate")
    with pytest.raises(DraftError, match="longer than"):
        storage.drafts.save(ann, "q1", "x" * (MAX_DRAFT + 1))


def test_submitting_the_answer_drops_its_draft_only(storage: Storage, make_user: MakeUser) -> None:
    ann = make_user("Acme", "ann@acme.example", "candidate")
    storage.drafts.save(ann, "q1", "Draft one")
    storage.drafts.save(ann, "q2", "Draft two")
    storage.transcripts.save_attempt(ann, question_id="q1", question_text="Q1?", answer="Draft one, final")
    assert storage.drafts.get(ann, "q1") is None
    draft = storage.drafts.get(ann, "q2")
    assert draft is not None and draft.text == "Draft two"


def test_only_people_who_practise_have_drafts(storage: Storage, make_user: MakeUser) -> None:
    reviewer = make_user("Acme", "rev@acme.example", "reviewer")
    with pytest.raises(Forbidden):
        storage.drafts.save(reviewer, "q1", "text")
    with pytest.raises(Forbidden):
        storage.drafts.get(reviewer, "q1")


def test_erasing_the_account_erases_its_drafts(storage: Storage, make_user: MakeUser) -> None:
    ann = make_user("Acme", "ann@acme.example", "candidate")
    storage.drafts.save(ann, "q1", "Private words")
    with storage.database.transaction() as session:
        user = session.get(t.User, ann.user_id)
        session.delete(user)
    assert _count(storage, t.Draft) == 0


# --- deactivate, reactivate, re-invite -------------------------------------------------------------------


def test_reinvite_replaces_the_code_and_refuses_members_with_a_password(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    accounts = storage.accounts
    invited = accounts.invite_user(admin, "new@acme.example", "candidate")
    clock.advance(days=30)  # the first code expired
    again = accounts.reinvite(admin, invited.user_id)
    assert again.code != invited.code and again.expires_at > clock.now
    with pytest.raises(AccountError, match="unknown or has expired"):
        accounts.accept_invite(invited.code, "a-long-enough-password")
    signed_in = accounts.accept_invite(again.code, "a-long-enough-password")
    assert signed_in.actor.email == "new@acme.example"
    with pytest.raises(AccountError, match="set a password already"):
        accounts.reinvite(admin, invited.user_id)


def test_deactivate_ends_sessions_and_reactivate_lets_the_member_back(
    storage: Storage, make_user: MakeUser
) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    ann = make_user("Acme", "ann@acme.example", "candidate")
    accounts = storage.accounts
    session = accounts.sign_in("ann@acme.example", "practice-makes-perfect")
    assert accounts.authenticate(session.token) is not None
    assert not accounts.set_active(admin, ann.user_id, False).active
    assert accounts.authenticate(session.token) is None
    with pytest.raises(SignInError):
        accounts.sign_in("ann@acme.example", "practice-makes-perfect")
    assert accounts.set_active(admin, ann.user_id, True).active
    assert accounts.sign_in("ann@acme.example", "practice-makes-perfect").actor.user_id == ann.user_id
    invited = accounts.invite_user(admin, "late@acme.example", "candidate")
    accounts.set_active(admin, invited.user_id, False)
    with pytest.raises(AccountError, match="reactivate"):
        accounts.reinvite(admin, invited.user_id)
