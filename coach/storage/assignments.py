"""Assignments: questions a trainer sets a cohort, each optionally with a case to rehearse, due by a date.

An item counts as done for a candidate once they have a scored attempt at its question made after the
assignment was set; its score is that newest attempt's overall. Trainers see completion and scores, not
the transcripts: those stay the candidate's, or the reviewers' when shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.permissions import Actor, NotFound, Permission, Role, authorise
from coach.storage.tables import Clock

MAX_ITEMS = 20


class AssignmentError(CoachError):
    """An assignment that cannot be stored as given."""


@dataclass(frozen=True)
class AssignedItem:
    question_id: str
    question_text: str
    case_id: str | None = None


@dataclass(frozen=True)
class AssignmentView:
    id: int
    cohort_id: int
    cohort_name: str
    title: str
    due_on: date
    created_at: datetime
    items: tuple[AssignedItem, ...]


@dataclass(frozen=True)
class ItemStatus:
    """One candidate against one item of an assignment."""

    candidate_id: int
    candidate: str  # email
    position: int
    question_id: str
    done: bool
    overall: int | None
    attempt_id: int | None


@dataclass(frozen=True)
class MyAssignment:
    assignment: AssignmentView
    done: tuple[bool, ...]  # per item, in order

    @property
    def complete(self) -> bool:
        return all(self.done)


def _view(session: Session, row: t.Assignment) -> AssignmentView:
    cohort = session.get(t.Cohort, row.cohort_id)
    items = session.scalars(
        select(t.AssignmentItem)
        .where(t.AssignmentItem.assignment_id == row.id)
        .order_by(t.AssignmentItem.position)
    )
    return AssignmentView(
        row.id,
        row.cohort_id,
        cohort.name if cohort else "",
        row.title,
        row.due_on,
        row.created_at,
        tuple(AssignedItem(i.question_id, i.question_text, i.case_id) for i in items),
    )


def _latest_scored(
    session: Session, user_id: int, question_id: str, since: datetime
) -> tuple[int, int | None] | None:
    """(attempt id, overall) of the candidate's newest scored attempt at the question since `since`."""
    attempt = session.scalars(
        select(t.Attempt)
        .where(
            t.Attempt.user_id == user_id,
            t.Attempt.question_id == question_id,
            t.Attempt.status == "scored",
            t.Attempt.created_at >= since,
        )
        .order_by(t.Attempt.created_at.desc(), t.Attempt.id.desc())
        .limit(1)
    ).first()
    if attempt is None:
        return None
    card = session.scalars(
        select(t.Scorecard)
        .where(t.Scorecard.attempt_id == attempt.id)
        .order_by(t.Scorecard.id.desc())
        .limit(1)
    ).first()
    overall = None
    if card is not None and not card.result.get("refused"):
        overall = int(card.result.get("overall", 0))
    return attempt.id, overall


class Assignments:
    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    def create(
        self,
        actor: Actor | None,
        cohort_id: int,
        title: str,
        due_on: date,
        items: Sequence[AssignedItem],
    ) -> AssignmentView:
        title = " ".join(title.split())
        if not title or len(title) > 200:
            raise AssignmentError("the assignment needs a title of at most 200 characters")
        if not items:
            raise AssignmentError("choose at least one question")
        if len(items) > MAX_ITEMS:
            raise AssignmentError(f"at most {MAX_ITEMS} questions in one assignment")
        for item in items:
            if not item.question_id.strip() or not item.question_text.strip():
                raise AssignmentError("every question needs its id and text")
        with acting(self._db, actor, Permission.ASSIGN_PRACTICE) as act:
            session, fresh = act.session, act.actor
            cohort = session.get(t.Cohort, cohort_id)
            if cohort is None or cohort.organisation_id != fresh.organisation_id:
                raise NotFound(f"no cohort {cohort_id}")
            if due_on < self._now().date():
                raise AssignmentError("the due date is in the past")
            row = t.Assignment(
                organisation_id=fresh.organisation_id,
                cohort_id=cohort.id,
                title=title,
                due_on=due_on,
                created_by=fresh.user_id,
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            for position, item in enumerate(items, start=1):
                session.add(
                    t.AssignmentItem(
                        assignment_id=row.id,
                        position=position,
                        question_id=item.question_id.strip()[:100],
                        question_text=item.question_text,
                        case_id=item.case_id or None,
                    )
                )
            session.flush()
            act.audit(
                "assignment.create",
                target_type="assignment",
                target_id=row.id,
                cohort_id=cohort.id,
                items=len(items),
            )
            return _view(session, row)

    def list_assignments(self, actor: Actor | None) -> list[AssignmentView]:
        """The organisation's assignments, the nearest due date first."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.ASSIGN_PRACTICE)
            rows = session.scalars(
                select(t.Assignment)
                .where(t.Assignment.organisation_id == fresh.organisation_id)
                .order_by(t.Assignment.due_on, t.Assignment.id)
            )
            return [_view(session, r) for r in rows]

    def progress(self, actor: Actor | None, assignment_id: int) -> list[ItemStatus]:
        """Every candidate now in the cohort against every item: done or not, and the score."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.ASSIGN_PRACTICE)
            row = session.get(t.Assignment, assignment_id)
            if row is None or row.organisation_id != fresh.organisation_id:
                raise NotFound(f"no assignment {assignment_id}")
            view = _view(session, row)
            members = session.scalars(
                select(t.User)
                .where(t.User.cohort_id == row.cohort_id, t.User.role == Role.CANDIDATE.value)
                .order_by(t.User.email)
            ).all()
            out = []
            for member in members:
                for position, item in enumerate(view.items, start=1):
                    found = _latest_scored(session, member.id, item.question_id, row.created_at)
                    out.append(
                        ItemStatus(
                            member.id,
                            member.email,
                            position,
                            item.question_id,
                            found is not None,
                            found[1] if found else None,
                            found[0] if found else None,
                        )
                    )
            return out

    def my_assignments(self, actor: Actor | None) -> list[MyAssignment]:
        """For a candidate: their cohort's assignments, unfinished first, then by due date."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.PRACTISE)
            user = session.get(t.User, fresh.user_id)
            if user is None or user.cohort_id is None:
                return []
            rows = session.scalars(
                select(t.Assignment)
                .where(t.Assignment.cohort_id == user.cohort_id)
                .order_by(t.Assignment.due_on, t.Assignment.id)
            )
            mine = []
            for row in rows:
                view = _view(session, row)
                done = tuple(
                    _latest_scored(session, user.id, item.question_id, row.created_at) is not None
                    for item in view.items
                )
                mine.append(MyAssignment(view, done))
            return sorted(mine, key=lambda m: m.complete)
