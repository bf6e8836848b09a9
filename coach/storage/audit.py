"""The audit log: who did what to which object, when; written in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.storage.database import Database
from coach.storage.permissions import Actor, Permission, authorise
from coach.storage.tables import AuditEntry, utcnow


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor_id: int | None
    action: str
    target_type: str
    target_id: int | None
    detail: Mapping[str, Any] = field(default_factory=dict)


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    organisation_id: int | None,
    target_type: str = "",
    target_id: int | None = None,
    at: datetime | None = None,
    **detail: Any,
) -> None:
    """Add an entry to the caller's transaction. Ids and flags only: no emails, names or text."""
    session.add(
        AuditEntry(
            at=at or utcnow(),
            organisation_id=organisation_id,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=dict(detail),
        )
    )


@dataclass(frozen=True)
class Acting:
    """One authorised change: its session, the actor as the database knows them now, and its audit entry."""

    session: Session
    actor: Actor

    def audit(
        self,
        action: str,
        target_type: str = "",
        target_id: int | None = None,
        *,
        at: datetime | None = None,
        **detail: Any,
    ) -> None:
        """Record the change as the actor's, in their organisation, in the same transaction; `at`: the time the
        change itself carries, where the store has its own clock."""
        record(
            self.session,
            action,
            actor_id=self.actor.user_id,
            organisation_id=self.actor.organisation_id,
            target_type=target_type,
            target_id=target_id,
            at=at,
            **detail,
        )


@contextmanager
def acting(database: Database, actor: Actor | None, permission: Permission | None = None) -> Iterator[Acting]:
    """Authorise, act, audit, as one transaction: `actor` is checked (for `permission`) before the block runs;
    the block changes things through `.session` and records them with `.audit(...)`; it all commits together
    or, if anything raises, not at all."""
    with database.transaction() as session:
        yield Acting(session, authorise(session, actor, permission))


class AuditLog:
    """Reading the log: an organisation's admins see their organisation's entries."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def entries(self, actor: Actor | None, *, limit: int = 200) -> list[AuditRecord]:
        with self._db.reading() as session:
            actor = authorise(session, actor, Permission.MANAGE_USERS)
            rows = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.organisation_id == actor.organisation_id)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(limit)
            )
            return [
                AuditRecord(r.at, r.actor_id, r.action, r.target_type, r.target_id, dict(r.detail))
                for r in rows
            ]
