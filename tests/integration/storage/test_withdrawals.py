"""Issue 16 in storage, on both backends: per-attempt sharing, unsharing and deleting, and what reviewers see."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coach.storage import tables as t
from coach.storage.permissions import Forbidden, NotFound
from coach.storage.store import Storage
from tests.integration.storage.conftest import MakeUser, ManualClock

LEVELS = {"describe": 3, "acknowledge": 2, "analyze": 2, "learn": 1, "apply": 1}


def _count(storage: Storage, table: type[t.Base], **where: object) -> int:
    with storage.database.reading() as session:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(getattr(table, column) == value)
        return int(session.scalar(query) or 0)


# --- sharing, unsharing, deleting ------------------------------------------------------------------------


def _shared_and_reviewed(storage: Storage, make_user: MakeUser) -> tuple[object, object, int]:
    ann = make_user("Acme", "ann@acme.example", "candidate")
    rev = make_user("Acme", "rev@acme.example", "reviewer")
    attempt = storage.transcripts.save_attempt(
        ann, question_id="q1", question_text="Tell me about a failure", answer="My secret story", shared=True
    )
    assert storage.reviews.enter(rev, attempt, LEVELS, "Good on ownership").saved
    return ann, rev, attempt


def test_unsharing_hides_the_attempt_at_once_and_keeps_the_review_marked_withdrawn(
    storage: Storage, make_user: MakeUser
) -> None:
    ann, rev, attempt = _shared_and_reviewed(storage, make_user)
    storage.transcripts.set_shared(ann, attempt, False)

    assert storage.transcripts.list_shared_attempts(rev) == []
    with pytest.raises(NotFound):
        storage.transcripts.get_attempt(rev, attempt)
    with pytest.raises(NotFound):
        storage.reviews.sheet(rev, attempt)
    assert _count(storage, t.Review, attempt_id=attempt, status="current") == 1  # the review stays

    (gone,) = storage.withdrawals.gone(rev)
    assert (gone.kind, gone.attempt_id, gone.candidate) == ("withdrawn", attempt, "ann@acme.example")
    assert gone.reviews == 1 and gone.my_overall == 45 and gone.deleted_at is None
    assert "secret" not in repr(gone)

    # Shared again later: back in the queue with its review, and no longer listed as withdrawn.
    storage.transcripts.set_shared(ann, attempt, True)
    assert [a.id for a in storage.transcripts.list_shared_attempts(rev)] == [attempt]
    assert storage.withdrawals.gone(rev) == []


def test_an_earlier_private_attempt_can_be_shared_later(storage: Storage, make_user: MakeUser) -> None:
    ann = make_user("Acme", "ann@acme.example", "candidate")
    rev = make_user("Acme", "rev@acme.example", "reviewer")
    first = storage.transcripts.save_attempt(
        ann, question_id="q1", question_text="Q?", answer="First", shared=False
    )
    storage.transcripts.save_attempt(ann, question_id="q1", question_text="Q?", answer="Second", shared=False)
    assert storage.transcripts.list_shared_attempts(rev) == []
    storage.transcripts.set_shared(ann, first, True)
    assert [a.answer for a in storage.transcripts.list_shared_attempts(rev)] == ["First"]


def test_deleting_an_attempt_leaves_a_tombstone_without_text_and_keeps_the_audit(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    ann, rev, attempt = _shared_and_reviewed(storage, make_user)
    storage.transcripts.add_turn(ann, attempt, "What changed?", "Everything")
    clock.advance(hours=1)
    storage.withdrawals.delete_attempt(ann, attempt)

    assert storage.transcripts.list_attempts(ann) == []
    with pytest.raises(NotFound):
        storage.transcripts.get_attempt(ann, attempt)
    for table in (t.Attempt, t.Turn, t.Review):
        assert _count(storage, table) == 0, table
    (gone,) = storage.withdrawals.gone(rev)
    assert (gone.kind, gone.attempt_id, gone.question_text) == ("deleted", attempt, "Tell me about a failure")
    assert gone.deleted_at == clock.now and gone.reviews == 1 and gone.my_overall == 45
    with storage.database.reading() as session:
        stone = session.scalars(select(t.AttemptTombstone)).one()
        assert "secret" not in repr(stone.__dict__) and "Good on ownership" not in repr(stone.__dict__)
        (entry,) = session.scalars(select(t.AuditEntry).where(t.AuditEntry.action == "attempt.delete"))
        assert (entry.actor_id, entry.target_id, entry.detail) == (
            ann.user_id,  # type: ignore[attr-defined]
            attempt,
            {"shared": True, "reviews": 1},
        )


def test_a_private_attempt_deleted_tells_reviewers_nothing(storage: Storage, make_user: MakeUser) -> None:
    ann = make_user("Acme", "ann@acme.example", "candidate")
    rev = make_user("Acme", "rev@acme.example", "reviewer")
    attempt = storage.transcripts.save_attempt(ann, question_id="q", question_text="Q?", answer="junk")
    storage.withdrawals.delete_attempt(ann, attempt)
    assert storage.withdrawals.gone(rev) == []


def test_only_the_owner_deletes_and_other_organisations_see_no_tombstone(
    storage: Storage, make_user: MakeUser
) -> None:
    ann, rev, attempt = _shared_and_reviewed(storage, make_user)
    other = make_user("Acme", "other@acme.example", "candidate")
    outsider = make_user("Globex", "rev@globex.example", "reviewer")
    with pytest.raises(NotFound):
        storage.withdrawals.delete_attempt(other, attempt)
    with pytest.raises(Forbidden):
        storage.withdrawals.delete_attempt(rev, attempt)
    storage.withdrawals.delete_attempt(ann, attempt)
    with pytest.raises(NotFound):
        storage.withdrawals.delete_attempt(ann, attempt)  # gone: deleting twice finds nothing
    assert storage.withdrawals.gone(outsider) == []
    with pytest.raises(Forbidden):
        storage.withdrawals.gone(ann)
