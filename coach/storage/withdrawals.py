"""A candidate takes an attempt back: deleting it for good, and what reviewers are told about it.

Unsharing (Transcripts.set_shared) hides an attempt from reviewers at once; their reviews stay, and this
module lists them as reviews of a withdrawn attempt. Deleting removes the attempt with its follow-ups,
scorecards, reviews and labels, and leaves a tombstone without any text: the question, when it was answered
and deleted, and the figures of the reviews it had. The audit log keeps the deletion too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select

from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.permissions import Actor, NotFound, Permission, authorise
from coach.storage.tables import Clock

Gone = Literal["withdrawn", "deleted"]


@dataclass(frozen=True)
class GoneAttempt:
    """An attempt reviewers saw that its candidate withdrew or deleted: never its text."""

    kind: Gone
    attempt_id: int
    candidate: str  # email
    question_text: str
    answered_at: datetime
    deleted_at: datetime | None  # None for a withdrawn attempt (it may be shared again)
    reviews: int  # reviews in force when it went (withdrawn: still in force, hidden with the attempt)
    my_overall: int | None  # the actor's own review's overall, if they reviewed it


class Withdrawals:
    """Every call is authorised against the acting user."""

    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    def delete_attempt(self, actor: Actor | None, attempt_id: int) -> None:
        """Delete one of the actor's own attempts; anyone else's is not found."""
        with acting(self._db, actor, Permission.PRACTISE) as act:
            row = act.session.get(t.Attempt, attempt_id)
            if row is None or row.user_id != act.actor.user_id:
                raise NotFound(f"no attempt {attempt_id}")
            reviews = [
                {"reviewer_id": r.reviewer_id, "overall": r.overall, "at": r.created_at.isoformat()}
                for r in act.session.scalars(
                    select(t.Review)
                    .where(t.Review.attempt_id == row.id, t.Review.status == "current")
                    .order_by(t.Review.id)
                )
            ]
            now = self._now()
            act.session.add(
                t.AttemptTombstone(
                    attempt_id=row.id,
                    organisation_id=row.organisation_id,
                    user_id=row.user_id,
                    question_id=row.question_id,
                    question_text=row.question_text,
                    answered_at=row.created_at,
                    deleted_at=now,
                    was_shared=row.shared,
                    reviews=reviews,
                )
            )
            act.audit("attempt.delete", "attempt", row.id, shared=row.shared, reviews=len(reviews))
            # The database cascades to turns, scorecards, reviews and trainer labels.
            act.session.delete(row)

    def gone(self, actor: Actor | None) -> list[GoneAttempt]:
        """For reviewers: their organisation's attempts that were shared and reviewed, then withdrawn, and
        those deleted after being shared or reviewed; most recent first."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            org = fresh.organisation_id
            found: list[GoneAttempt] = []
            counts = (
                select(t.Review.attempt_id, func.count(t.Review.id).label("n"))
                .where(t.Review.status == "current")
                .group_by(t.Review.attempt_id)
                .subquery()
            )
            withdrawn = session.execute(
                select(t.Attempt, t.User.email, counts.c.n)
                .join(counts, counts.c.attempt_id == t.Attempt.id)
                .join(t.User, t.User.id == t.Attempt.user_id)
                .where(t.Attempt.organisation_id == org, t.Attempt.shared.is_(False))
                .order_by(t.Attempt.updated_at.desc(), t.Attempt.id.desc())
            ).all()
            mine: dict[int, int] = {
                attempt_id: overall
                for attempt_id, overall in session.execute(
                    select(t.Review.attempt_id, t.Review.overall).where(
                        t.Review.reviewer_id == fresh.user_id,
                        t.Review.status == "current",
                        t.Review.attempt_id.in_([a.id for a, _, _ in withdrawn]),
                    )
                )
            }
            for attempt, email, n in withdrawn:
                found.append(
                    GoneAttempt(
                        "withdrawn",
                        attempt.id,
                        email,
                        attempt.question_text,
                        attempt.created_at,
                        None,
                        int(n),
                        mine.get(attempt.id),
                    )
                )
            tombstones = session.execute(
                select(t.AttemptTombstone, t.User.email)
                .join(t.User, t.User.id == t.AttemptTombstone.user_id)
                .where(t.AttemptTombstone.organisation_id == org)
                .order_by(t.AttemptTombstone.deleted_at.desc(), t.AttemptTombstone.id.desc())
            ).all()
            for stone, email in tombstones:
                if not (stone.was_shared or stone.reviews):
                    continue  # never shown to a reviewer: nothing to tell them
                own = [r["overall"] for r in stone.reviews if r.get("reviewer_id") == fresh.user_id]
                found.append(
                    GoneAttempt(
                        "deleted",
                        stone.attempt_id,
                        email,
                        stone.question_text,
                        stone.answered_at,
                        stone.deleted_at,
                        len(stone.reviews),
                        int(own[0]) if own else None,
                    )
                )
            return found
