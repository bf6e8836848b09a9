"""Drafts: the answer a candidate is typing, kept on the server so a reload or another device finds it.

One draft per user and question. Saving the same text again changes nothing; saving blank text drops the
draft. Submitting the answer drops it too, in the transaction that stores the attempt (transcripts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.permissions import Actor, Permission, authorise
from coach.storage.tables import Clock

MAX_DRAFT = 100_000  # characters, as for a submitted answer


class DraftError(CoachError):
    """A draft that cannot be kept as given."""


@dataclass(frozen=True)
class Draft:
    question_id: str
    text: str
    updated_at: datetime


def draft_key(question_id: str) -> str:
    """The question id as an attempt records it, so that submitting finds the draft to drop."""
    return question_id.strip()[:100] or "custom"


def drop_draft(session: Session, user_id: int, question_id: str) -> None:
    """Inside the caller's transaction: the answer to this question was submitted."""
    session.execute(
        delete(t.Draft).where(t.Draft.user_id == user_id, t.Draft.question_id == draft_key(question_id))
    )


class Drafts:
    """Each call is authorised: only a user who practises has drafts, and only their own."""

    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    def save(self, actor: Actor | None, question_id: str, text: str) -> Draft | None:
        """Keep `text` as the draft for the question (None: blank text, the draft is dropped)."""
        if len(text) > MAX_DRAFT:
            raise DraftError(f"the answer is longer than {MAX_DRAFT:,} characters; shorten it to keep it")
        key = draft_key(question_id)
        with acting(self._db, actor, Permission.PRACTISE) as act:
            session, fresh = act.session, act.actor
            row = session.scalar(
                select(t.Draft).where(t.Draft.user_id == fresh.user_id, t.Draft.question_id == key)
            )
            if not text.strip():
                if row is not None:
                    session.delete(row)
                return None
            if row is None:
                row = t.Draft(user_id=fresh.user_id, question_id=key, text=text, updated_at=self._now())
                session.add(row)
            elif row.text != text:
                row.text, row.updated_at = text, self._now()
            return Draft(row.question_id, row.text, row.updated_at)

    def get(self, actor: Actor | None, question_id: str) -> Draft | None:
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.PRACTISE)
            row = session.scalar(
                select(t.Draft).where(
                    t.Draft.user_id == fresh.user_id, t.Draft.question_id == draft_key(question_id)
                )
            )
            return None if row is None else Draft(row.question_id, row.text, row.updated_at)

    def list(self, actor: Actor | None) -> list[Draft]:
        """The actor's drafts, most recently typed first."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.PRACTISE)
            rows = session.scalars(
                select(t.Draft)
                .where(t.Draft.user_id == fresh.user_id)
                .order_by(t.Draft.updated_at.desc(), t.Draft.id.desc())
            )
            return [Draft(r.question_id, r.text, r.updated_at) for r in rows]

    def discard(self, actor: Actor | None, question_id: str) -> None:
        with acting(self._db, actor, Permission.PRACTISE) as act:
            session, fresh = act.session, act.actor
            drop_draft(session, fresh.user_id, question_id)
