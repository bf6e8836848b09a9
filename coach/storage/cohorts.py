"""Cohorts as trainers run them: create one, put candidates of the organisation in it or take them out.

A candidate belongs to one cohort at a time (users.cohort_id); admins manage the same cohorts from the
Users page (administration.Administration).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.members import AccountError
from coach.storage.permissions import Actor, NotFound, Permission, Role, authorise
from coach.storage.tables import Clock


@dataclass(frozen=True)
class Candidate:
    id: int
    email: str
    display_name: str
    cohort_id: int | None

    @property
    def label(self) -> str:
        return f"{self.display_name} <{self.email}>" if self.display_name else self.email


@dataclass(frozen=True)
class CohortView:
    id: int
    name: str
    members: tuple[Candidate, ...]


class Cohorts:
    """Trainers (assign_practice) see and shape their organisation's cohorts."""

    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    def list_candidates(self, actor: Actor | None) -> list[Candidate]:
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.ASSIGN_PRACTICE)
            rows = session.scalars(
                select(t.User)
                .where(
                    t.User.organisation_id == fresh.organisation_id,
                    t.User.role == Role.CANDIDATE.value,
                    t.User.active.is_(True),
                )
                .order_by(t.User.email)
            )
            return [Candidate(r.id, r.email, r.display_name, r.cohort_id) for r in rows]

    def list_cohorts(self, actor: Actor | None) -> list[CohortView]:
        candidates = self.list_candidates(actor)
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.ASSIGN_PRACTICE)
            rows = session.scalars(
                select(t.Cohort)
                .where(t.Cohort.organisation_id == fresh.organisation_id)
                .order_by(t.Cohort.name)
            )
            return [
                CohortView(r.id, r.name, tuple(c for c in candidates if c.cohort_id == r.id)) for r in rows
            ]

    def create_cohort(self, actor: Actor | None, name: str) -> CohortView:
        name = " ".join(name.split())
        if not name or len(name) > 200:
            raise AccountError("the cohort needs a name of at most 200 characters")
        with acting(self._db, actor, Permission.ASSIGN_PRACTICE) as act:
            session, fresh = act.session, act.actor
            taken = session.scalar(
                select(t.Cohort.id).where(
                    t.Cohort.organisation_id == fresh.organisation_id, t.Cohort.name == name
                )
            )
            if taken is not None:
                raise AccountError(f"a cohort called {name!r} exists already")
            row = t.Cohort(organisation_id=fresh.organisation_id, name=name, created_at=self._now())
            session.add(row)
            session.flush()
            act.audit(
                "cohort.create",
                target_type="cohort",
                target_id=row.id,
            )
            return CohortView(row.id, row.name, ())

    def set_cohort(self, actor: Actor | None, candidate_id: int, cohort_id: int | None) -> Candidate:
        """Put a candidate of the organisation in a cohort (None: in none)."""
        with acting(self._db, actor, Permission.ASSIGN_PRACTICE) as act:
            session, fresh = act.session, act.actor
            user = session.get(t.User, candidate_id)
            if (
                user is None
                or user.organisation_id != fresh.organisation_id
                or user.role != Role.CANDIDATE.value
            ):
                raise NotFound(f"no candidate {candidate_id}")
            if cohort_id is not None:
                cohort = session.get(t.Cohort, cohort_id)
                if cohort is None or cohort.organisation_id != fresh.organisation_id:
                    raise NotFound(f"no cohort {cohort_id}")
            user.cohort_id = cohort_id
            act.audit(
                "user.cohort",
                target_type="user",
                target_id=user.id,
                cohort_id=cohort_id,
            )
            return Candidate(user.id, user.email, user.display_name, user.cohort_id)
