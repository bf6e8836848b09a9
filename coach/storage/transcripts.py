"""Transcripts: answers (committed before anything else runs), follow-up turns, scorecards and reviews."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.drafts import drop_draft
from coach.storage.permissions import Actor, NotFound, Permission, allows, authorise
from coach.storage.records import AttemptRecord, ScorecardRecord, attempt_record, scorecard_record
from coach.storage.review_policy import card_columns, redact
from coach.storage.tables import Clock

log = logging.getLogger(__name__)

MAX_TEXT = 100_000  # characters; a spoken answer of two minutes is about 2,000


class TranscriptError(CoachError):
    """An answer, turn, scorecard or review that cannot be stored as given."""


def _text(value: str, what: str) -> str:
    if not value.strip():
        raise TranscriptError(f"the {what} is empty")
    if len(value) > MAX_TEXT:
        raise TranscriptError(f"the {what} is longer than {MAX_TEXT:,} characters")
    return value


def _visible(session: Session, actor: Actor, attempt_id: int) -> t.Attempt:
    """An attempt the actor may read: their own, or (reviewers) one shared in their organisation.

    Anything else, including every other organisation's attempts, is reported as not found, so a
    guessed id tells nothing about what exists.
    """
    row = session.get(t.Attempt, attempt_id)
    if row is not None and row.organisation_id == actor.organisation_id:
        if row.user_id == actor.user_id:
            return row
        if row.shared and allows(actor.role, Permission.READ_SHARED_ATTEMPTS):
            return row
    raise NotFound(f"no attempt {attempt_id}")


def _owned(session: Session, actor: Actor, attempt_id: int) -> t.Attempt:
    row = session.get(t.Attempt, attempt_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound(f"no attempt {attempt_id}")
    return row


def _filtered(
    query: Select[t.Attempt],
    question_id: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Select[t.Attempt]:
    if question_id:
        query = query.where(t.Attempt.question_id == question_id)
    if since is not None:
        query = query.where(t.Attempt.created_at >= since)
    if until is not None:
        query = query.where(t.Attempt.created_at < until)
    return query.order_by(t.Attempt.created_at.desc(), t.Attempt.id.desc())


class Transcripts:
    """Attempts and everything attached to them; every call is authorised against the acting user."""

    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    # --- writing an answer ------------------------------------------------------------------------

    def save_attempt(
        self,
        actor: Actor | None,
        *,
        question_id: str,
        question_text: str,
        answer: str,
        shared: bool | None = None,
        retry_of: int | None = None,
    ) -> int:
        """Store the answer as "unscored" and COMMIT it; returns its id. Call this before scoring."""
        return self.create_attempt(
            actor,
            question_id=question_id,
            question_text=question_text,
            answer=answer,
            shared=shared,
            retry_of=retry_of,
        ).id

    def create_attempt(
        self,
        actor: Actor | None,
        *,
        question_id: str,
        question_text: str,
        answer: str,
        shared: bool | None = None,
        retry_of: int | None = None,
    ) -> AttemptRecord:
        """`save_attempt`, returning the attempt as stored (the practice flow scores it without reading it back).

        `retry_of`: the actor's own attempt this one retries ("Try again"); anyone else's is not found.
        """
        _text(answer, "answer")
        _text(question_text, "question")
        with acting(self._db, actor, Permission.PRACTISE) as act:
            session, fresh = act.session, act.actor
            if retry_of is not None:
                _owned(session, fresh, retry_of)
            if shared is None:
                org = session.get(t.Organisation, fresh.organisation_id)
                shared = bool(org and org.share_by_default)
            now = self._now()
            row = t.Attempt(
                user_id=fresh.user_id,
                organisation_id=fresh.organisation_id,
                question_id=question_id.strip()[:100] or "custom",
                question_text=question_text,
                answer=answer,
                shared=shared,
                status="unscored",
                created_at=now,
                updated_at=now,
                retry_of=retry_of,
            )
            session.add(row)
            session.flush()
            drop_draft(session, fresh.user_id, row.question_id)  # submitted: the draft has done its job
            act.audit(
                "attempt.create",
                target_type="attempt",
                target_id=row.id,
                shared=shared,
                at=now,
            )
            return attempt_record(row)

    def add_turn(
        self, actor: Actor | None, attempt_id: int, question: str, answer: str, probes: str | None = None
    ) -> int:
        """Append a follow-up question and its answer; returns the turn's position (1, 2, ...). `probes`: the
        rubric part the question asked about.

        The attempt becomes "unscored": its newest scorecard describes less than the transcript now holds.
        """
        _text(question, "follow-up question")
        _text(answer, "answer")
        with acting(self._db, actor, Permission.PRACTISE) as act:
            session, fresh = act.session, act.actor
            row = _owned(session, fresh, attempt_id)
            position = (
                session.scalar(select(func.max(t.Turn.position)).where(t.Turn.attempt_id == row.id)) or 0
            ) + 1
            now = self._now()
            session.add(
                t.Turn(
                    attempt_id=row.id,
                    position=position,
                    question=question,
                    answer=answer,
                    created_at=now,
                    probes=probes[:20] if probes else None,
                )
            )
            row.status, row.updated_at = "unscored", now
            return position

    def record_scorecard(
        self, actor: Actor | None, attempt_id: int, result: Mapping[str, Any], scorer_version: str
    ) -> int:
        """Keep the scorer's full result; an attempt may collect several (re-scored by newer scorers)."""
        return self.add_scorecard(actor, attempt_id, result, scorer_version).id

    def add_scorecard(
        self, actor: Actor | None, attempt_id: int, result: Mapping[str, Any], scorer_version: str
    ) -> ScorecardRecord:
        """`record_scorecard`, returning the scorecard as stored; the attempt is "scored" from then on."""
        try:
            payload = json.loads(json.dumps(dict(result)))
        except (TypeError, ValueError) as exc:
            raise TranscriptError(f"the scorecard is not JSON: {exc}") from None
        if not scorer_version.strip():
            raise TranscriptError("the scorer version is empty")
        with acting(self._db, actor, Permission.PRACTISE) as act:
            session, fresh = act.session, act.actor
            row = _owned(session, fresh, attempt_id)
            now = self._now()
            card = t.Scorecard(
                attempt_id=row.id,
                scorer_version=scorer_version[:100],
                result=payload,
                created_at=now,
                **card_columns(payload),
            )
            session.add(card)
            row.status, row.updated_at = "scored", now
            session.flush()
            act.audit(
                "attempt.scored",
                target_type="attempt",
                target_id=row.id,
                scorer_version=scorer_version[:100],
                at=now,
            )
            return scorecard_record(card)

    def mark_unscored(self, actor: Actor | None, attempt_id: int) -> None:
        """Queue an attempt for scoring again (its earlier scorecards stay)."""
        with acting(self._db, actor, Permission.PRACTISE) as act:
            session, fresh = act.session, act.actor
            row = _owned(session, fresh, attempt_id)
            row.status, row.updated_at = "unscored", self._now()

    def set_shared(self, actor: Actor | None, attempt_id: int, shared: bool) -> None:
        with acting(self._db, actor, Permission.PRACTISE) as act:
            session, fresh = act.session, act.actor
            row = _owned(session, fresh, attempt_id)
            row.shared, row.updated_at = shared, self._now()
            act.audit(
                "attempt.shared",
                target_type="attempt",
                target_id=row.id,
                shared=shared,
            )

    # --- reading ----------------------------------------------------------------------------------

    def get_attempt(self, actor: Actor | None, attempt_id: int) -> AttemptRecord:
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            row = _visible(session, fresh, attempt_id)
            return redact(session, fresh, row, attempt_record(row, session))

    def list_attempts(
        self,
        actor: Actor | None,
        *,
        question_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[AttemptRecord]:
        """The actor's own attempts, newest first; `since` inclusive, `until` exclusive."""
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            query = select(t.Attempt).where(t.Attempt.user_id == fresh.user_id)
            return [attempt_record(r) for r in session.scalars(_filtered(query, question_id, since, until))]

    def retried_scorecard(
        self, actor: Actor | None, attempt: AttemptRecord
    ) -> tuple[datetime, ScorecardRecord] | None:
        """The newest scorecard of the attempt `attempt` retried, with when that attempt was made: only the
        actor's own, older and scored attempt (a deleted one is gone; an id SQLite handed out again belongs to
        a newer attempt)."""
        if attempt.retry_of is None:
            return None
        newest = (
            select(func.max(t.Scorecard.id))
            .where(t.Scorecard.attempt_id == t.Attempt.id)
            .correlate(t.Attempt)
            .scalar_subquery()
        )
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            found = session.execute(
                select(t.Attempt.created_at, t.Scorecard)
                .join(t.Scorecard, t.Scorecard.id == newest)
                .where(
                    t.Attempt.id == attempt.retry_of,
                    t.Attempt.user_id == fresh.user_id,
                    t.Attempt.status == "scored",
                    or_(
                        t.Attempt.created_at < attempt.created_at,
                        and_(t.Attempt.created_at == attempt.created_at, t.Attempt.id < attempt.id),
                    ),
                )
            ).first()
            return None if found is None else (found[0], scorecard_record(found[1]))

    def list_shared_attempts(
        self,
        actor: Actor | None,
        *,
        question_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        candidate_id: int | None = None,
        details: bool = False,
    ) -> list[AttemptRecord]:
        """For reviewers: attempts that candidates of their organisation shared, newest first.

        With `details`, each record carries its turns, scorecards and reviews.
        """
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            query = select(t.Attempt).where(
                t.Attempt.organisation_id == fresh.organisation_id, t.Attempt.shared.is_(True)
            )
            if candidate_id is not None:
                query = query.where(t.Attempt.user_id == candidate_id)
            rows = session.scalars(_filtered(query, question_id, since, until)).all()
            if not details:
                return [attempt_record(r) for r in rows]
            return [redact(session, fresh, r, attempt_record(r, session)) for r in rows]

    def member_emails(self, actor: Actor | None, user_ids: Iterable[int | None]) -> dict[int, str]:
        """Emails of the given users, for the people who may read shared attempts; other organisations' ids
        (and unknown ones) are left out, as if they did not exist."""
        wanted = {i for i in user_ids if i is not None}
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            if not wanted:
                return {}
            rows = session.execute(
                select(t.User.id, t.User.email).where(
                    t.User.id.in_(wanted), t.User.organisation_id == fresh.organisation_id
                )
            )
            return {user_id: email for user_id, email in rows}
