"""A person's own data: everything about them as one JSON document, and erasure of the account."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from coach.storage import audit
from coach.storage import tables as t
from coach.storage.administration import keep_an_admin
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.permissions import Actor, NotFound, Permission, allows, authorise
from coach.storage.records import attempt_record
from coach.storage.review_policy import redact

log = logging.getLogger(__name__)

EXPORT_FORMAT = "coach-export/1"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class PersonalData:
    """Export is for oneself only; erasure for oneself, or by an admin of the same organisation."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def export(self, actor: Actor | None, user_id: int | None = None) -> dict[str, Any]:
        """Profile, attempts with turns, scorecards and reviews received, and reviews written."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.EXPORT_OWN_DATA)
            if user_id is not None and user_id != fresh.user_id:
                raise NotFound(f"no data export for user {user_id}")
            user = session.get(t.User, fresh.user_id)
            assert user is not None  # authorise() found it
            org = user.organisation
            # The reviews received follow the organisation's policy (coach.storage.review_policy).
            attempts = [
                redact(session, fresh, row, attempt_record(row, session))
                for row in session.scalars(
                    select(t.Attempt).where(t.Attempt.user_id == user.id).order_by(t.Attempt.id)
                )
            ]
            written = session.scalars(
                select(t.Review).where(t.Review.reviewer_id == user.id).order_by(t.Review.id)
            )
            return {
                "format": EXPORT_FORMAT,
                "user": {
                    "id": user.id,
                    "email": user.email,
                    "display_name": user.display_name,
                    "role": user.role,
                    "organisation": {"id": org.id, "name": org.name},
                    "created_at": _iso(user.created_at),
                    "last_sign_in_at": _iso(user.last_sign_in_at),
                },
                "attempts": [
                    {
                        "id": a.id,
                        "question_id": a.question_id,
                        "question": a.question_text,
                        "answer": a.answer,
                        "shared": a.shared,
                        "status": a.status,
                        "created_at": _iso(a.created_at),
                        "updated_at": _iso(a.updated_at),
                        "turns": [
                            {
                                "position": u.position,
                                "question": u.question,
                                "answer": u.answer,
                                "created_at": _iso(u.created_at),
                            }
                            for u in a.turns
                        ],
                        "scorecards": [
                            {
                                "scorer_version": c.scorer_version,
                                "result": dict(c.result),
                                "created_at": _iso(c.created_at),
                            }
                            for c in a.scorecards
                        ],
                        "reviews_received": [
                            {
                                "levels": r.levels.model_dump(),
                                "comment": r.comment,
                                "created_at": _iso(r.created_at),
                            }
                            for r in a.reviews
                        ],
                    }
                    for a in attempts
                ],
                "reviews_written": [
                    {
                        "attempt_id": r.attempt_id,
                        "levels": dict(r.levels),
                        "comment": r.comment,
                        "created_at": _iso(r.created_at),
                    }
                    for r in written
                ],
            }

    def export_json(self, actor: Actor | None, user_id: int | None = None) -> str:
        return json.dumps(self.export(actor, user_id), ensure_ascii=False, indent=2)

    def erase(self, actor: Actor | None, user_id: int | None = None) -> None:
        """Delete the account and, by cascade, its sessions, attempts, turns, scorecards and their reviews.

        Reviews the person wrote stay with the candidates who received them, without the reviewer.
        """
        with acting(self._db, actor, Permission.EXPORT_OWN_DATA) as act:
            session, fresh = act.session, act.actor
            target_id = fresh.user_id if user_id is None else user_id
            if target_id != fresh.user_id and not allows(fresh.role, Permission.MANAGE_USERS):
                raise NotFound(f"no user {target_id}")
            user = session.get(t.User, target_id)
            if user is None or user.organisation_id != fresh.organisation_id:
                raise NotFound(f"no user {target_id}")
            if user.role == "admin":
                keep_an_admin(session, user)
            email, org_id = user.email, user.organisation_id
            session.delete(user)
            # The throttle keeps failed sign-ins by email: that is personal data too.
            session.execute(delete(t.LoginFailure).where(t.LoginFailure.email == email))
            audit.record(
                session,
                "user.erase",
                actor_id=fresh.user_id,
                organisation_id=org_id,
                target_type="user",
                target_id=target_id,
            )
        log.info("user %s erased by user %s", target_id, fresh.user_id)
