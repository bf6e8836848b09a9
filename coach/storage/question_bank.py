"""Organisation content: questions that an organisation's trainers add beside the built-in bank."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from coach.errors import CoachError
from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.permissions import Actor, NotFound, Permission, authorise
from coach.storage.tables import Clock

_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class QuestionError(CoachError):
    """A question that cannot be stored as given."""


@dataclass(frozen=True)
class OrgQuestion:
    id: int
    key: str
    text: str
    updated_at: datetime
    probes: str = ""  # what the question probes, in the trainer's words
    words: tuple[int, int] = (250, 350)  # target length in words
    hint: str = ""
    retired: bool = False


def _question(row: t.Question) -> OrgQuestion:
    return OrgQuestion(
        row.id,
        row.key,
        row.text,
        row.updated_at,
        row.probes,
        (row.words_low, row.words_high),
        row.hint,
        row.retired_at is not None,
    )


def _checked_details(probes: str, words: tuple[int, int], hint: str) -> tuple[str, tuple[int, int], str]:
    low, high = words
    if not 20 <= low < high <= 2000:
        raise QuestionError("the target length needs a lowest and a highest word count, 20 to 2,000")
    if len(probes) > 2000 or len(hint) > 2000:
        raise QuestionError("what it probes and the hint take at most 2,000 characters each")
    return probes.strip(), (low, high), hint.strip()


def _checked(key: str, text: str) -> tuple[str, str]:
    key, text = key.strip(), text.strip()
    if not _KEY.match(key) or len(key) > 100:
        raise QuestionError("the question id must be lower-case words joined by hyphens, e.g. 'agency-blame'")
    if not text or len(text) > 2000:
        raise QuestionError("the question needs a text of at most 2,000 characters")
    return key, text


class QuestionBank:
    """Members read their organisation's questions; trainers (edit_case_study) write them."""

    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    def list_questions(self, actor: Actor | None, *, include_retired: bool = False) -> list[OrgQuestion]:
        """The organisation's questions; retired ones only when asked (they stay on old attempts)."""
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            query = select(t.Question).where(t.Question.organisation_id == fresh.organisation_id)
            if not include_retired:
                query = query.where(t.Question.retired_at.is_(None))
            return [_question(r) for r in session.scalars(query.order_by(t.Question.key))]

    def add_question(
        self,
        actor: Actor | None,
        key: str,
        text: str,
        *,
        probes: str = "",
        words: tuple[int, int] = (250, 350),
        hint: str = "",
    ) -> int:
        key, text = _checked(key, text)
        probes, words, hint = _checked_details(probes, words, hint)
        with acting(self._db, actor, Permission.EDIT_CASE_STUDY) as act:
            taken = act.session.scalar(
                select(t.Question.id).where(
                    t.Question.organisation_id == act.actor.organisation_id, t.Question.key == key
                )
            )
            if taken is not None:
                raise QuestionError(f"your organisation has a question {key!r} already")
            now = self._now()
            row = t.Question(
                organisation_id=act.actor.organisation_id,
                key=key,
                text=text,
                probes=probes,
                words_low=words[0],
                words_high=words[1],
                hint=hint,
                created_by=act.actor.user_id,
                created_at=now,
                updated_at=now,
            )
            act.session.add(row)
            act.session.flush()
            act.audit("question.create", "question", row.id)
            return row.id

    def update_question(
        self,
        actor: Actor | None,
        question_id: int,
        text: str,
        *,
        probes: str | None = None,
        words: tuple[int, int] | None = None,
        hint: str | None = None,
    ) -> OrgQuestion:
        """Change the text (and, when given, the details); attempts keep the text they were asked."""
        with acting(self._db, actor, Permission.EDIT_CASE_STUDY) as act:
            row = act.session.get(t.Question, question_id)
            if row is None or row.organisation_id != act.actor.organisation_id:
                raise NotFound(f"no question {question_id}")
            _, row.text = _checked(row.key, text)
            row.probes, (row.words_low, row.words_high), row.hint = _checked_details(
                row.probes if probes is None else probes,
                (row.words_low, row.words_high) if words is None else words,
                row.hint if hint is None else hint,
            )
            row.updated_at = self._now()
            act.audit("question.update", "question", row.id)
            return _question(row)

    def set_retired(self, actor: Actor | None, question_id: int, retired: bool) -> OrgQuestion:
        """Retire a question (no longer offered for practice or assignments), or bring it back."""
        with acting(self._db, actor, Permission.EDIT_CASE_STUDY) as act:
            row = act.session.get(t.Question, question_id)
            if row is None or row.organisation_id != act.actor.organisation_id:
                raise NotFound(f"no question {question_id}")
            now = self._now()
            row.retired_at, row.updated_at = (now if retired else None), now
            act.audit("question.retire" if retired else "question.unretire", "question", row.id)
            return _question(row)
