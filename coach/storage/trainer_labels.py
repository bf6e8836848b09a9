"""Trainers' calibration labels: their own level per component and flags for attempts shared in the organisation.

One label per trainer per attempt (labelling again replaces it). The labels are what the Calibration page
compares the scorer with, and what `coach train --include-org` adds to the training data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.rubric import COMPONENTS, FLAG_NAMES
from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.permissions import Actor, NotFound, Permission, authorise
from coach.storage.records import AttemptRecord, ReviewLevels, attempt_record
from coach.storage.tables import Clock


class LabelError(CoachError):
    """A label that cannot be stored as given."""


@dataclass(frozen=True)
class TrainerLabel:
    id: int
    attempt_id: int
    trainer_id: int | None
    levels: dict[str, int]
    flags: tuple[str, ...]
    updated_at: datetime


@dataclass(frozen=True)
class LabelledAttempt:
    """A trainer's label and the attempt it labels (with its scorecards)."""

    label: TrainerLabel
    attempt: AttemptRecord


def _label(row: t.TrainerLabel) -> TrainerLabel:
    return TrainerLabel(
        row.id,
        row.attempt_id,
        row.trainer_id,
        {c: int(row.levels[c]) for c in COMPONENTS},
        tuple(row.flags),
        row.updated_at,
    )


def _shared(session: Session, actor: Actor, attempt_id: int) -> t.Attempt:
    row = session.get(t.Attempt, attempt_id)
    if row is None or row.organisation_id != actor.organisation_id or not row.shared:
        raise NotFound(f"no attempt {attempt_id}")
    return row


def _labelled(session: Session, organisation_id: int) -> list[LabelledAttempt]:
    rows = session.scalars(
        select(t.TrainerLabel)
        .join(t.Attempt, t.Attempt.id == t.TrainerLabel.attempt_id)
        .where(t.TrainerLabel.organisation_id == organisation_id, t.Attempt.shared.is_(True))
        .order_by(t.TrainerLabel.id)
    ).all()
    attempts: dict[int, AttemptRecord] = {}
    out = []
    for row in rows:
        if row.attempt_id not in attempts:
            attempt = session.get(t.Attempt, row.attempt_id)
            assert attempt is not None  # a foreign key
            attempts[row.attempt_id] = attempt_record(attempt, session)
        out.append(LabelledAttempt(_label(row), attempts[row.attempt_id]))
    return out


class TrainerLabels:
    """Trainers (calibrate) read the attempts shared in their organisation and label them."""

    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    def shared_attempts(self, actor: Actor | None) -> list[AttemptRecord]:
        """Scored attempts candidates of the organisation shared, newest first, with their scorecards."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.CALIBRATE)
            rows = session.scalars(
                select(t.Attempt)
                .where(
                    t.Attempt.organisation_id == fresh.organisation_id,
                    t.Attempt.shared.is_(True),
                    t.Attempt.status == "scored",
                )
                .order_by(t.Attempt.created_at.desc(), t.Attempt.id.desc())
            ).all()
            return [attempt_record(r, session) for r in rows]

    def get_attempt(self, actor: Actor | None, attempt_id: int) -> AttemptRecord:
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.CALIBRATE)
            return attempt_record(_shared(session, fresh, attempt_id), session)

    def set_label(
        self, actor: Actor | None, attempt_id: int, levels: Mapping[str, int], flags: Iterable[str] = ()
    ) -> TrainerLabel:
        try:
            checked = ReviewLevels.model_validate(dict(levels)).model_dump()
        except ValidationError:
            raise LabelError(f"a label gives each of {', '.join(COMPONENTS)} a level from 0 to 4") from None
        flag_list = sorted(set(flags))
        unknown = [f for f in flag_list if f not in FLAG_NAMES]
        if unknown:
            raise LabelError(f"unknown flag(s): {', '.join(unknown)}")
        with acting(self._db, actor, Permission.CALIBRATE) as act:
            session, fresh = act.session, act.actor
            attempt = _shared(session, fresh, attempt_id)
            now = self._now()
            row = session.scalar(
                select(t.TrainerLabel).where(
                    t.TrainerLabel.attempt_id == attempt.id, t.TrainerLabel.trainer_id == fresh.user_id
                )
            )
            if row is None:
                row = t.TrainerLabel(
                    attempt_id=attempt.id,
                    organisation_id=fresh.organisation_id,
                    trainer_id=fresh.user_id,
                    created_at=now,
                )
                session.add(row)
            row.levels, row.flags, row.updated_at = checked, flag_list, now
            session.flush()
            act.audit(
                "label.set",
                target_type="attempt",
                target_id=attempt.id,
            )
            return _label(row)

    def labels(self, actor: Actor | None) -> list[LabelledAttempt]:
        """Every trainer label of the organisation, on attempts still shared, oldest first."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.CALIBRATE)
            return _labelled(session, fresh.organisation_id)

    def labels_from_shell(self, organisation_id: int) -> list[LabelledAttempt]:
        """The same, for `coach train --include-org` (the shell is trusted like `coach users create`)."""
        with self._db.reading() as session:
            return _labelled(session, organisation_id)
