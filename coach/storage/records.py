"""What the transcript store gives back: attempts with their turns, scorecards and reviews, as frozen values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field, create_model
from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.rubric import COMPONENTS, MAX_LEVEL
from coach.rubric import overall as overall_of
from coach.storage import tables as t

Status = Literal["unscored", "scored"]


# A level from 0 to 4 for each rubric component, in the rubric's order: the fields come from coach.rubric.
_ReviewFields = create_model(  # type: ignore[call-overload]
    "_ReviewFields",
    __config__=ConfigDict(frozen=True, extra="forbid"),
    **{c: (int, Field(ge=0, le=MAX_LEVEL)) for c in COMPONENTS},
)


class ReviewLevels(_ReviewFields):  # type: ignore[misc,valid-type]
    """A reviewer's level, 0 to 4, for each rubric component (see shared/RUBRIC.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class TurnRecord:
    position: int
    question: str
    answer: str
    created_at: datetime
    probes: str | None = None  # the rubric part the follow-up asked about (issue 16)


@dataclass(frozen=True)
class ScorecardRecord:
    id: int
    scorer_version: str
    result: Mapping[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    attempt_id: int
    reviewer_id: int | None
    levels: ReviewLevels
    comment: str
    created_at: datetime
    # Hiring review (issue 14): see tables.Review.
    status: str = "current"
    revision: int = 1
    reasons: Mapping[str, str] = field(default_factory=dict)  # component -> why, at a gap of 2+
    blind: bool = False

    @property
    def overall(self) -> int:
        return overall_of(self.levels.model_dump())


@dataclass(frozen=True)
class AttemptRecord:
    """One answer to one question, with what followed it (newest scorecard last)."""

    id: int
    user_id: int
    organisation_id: int
    question_id: str
    question_text: str
    answer: str
    shared: bool
    status: Status
    created_at: datetime
    updated_at: datetime
    turns: tuple[TurnRecord, ...] = ()
    scorecards: tuple[ScorecardRecord, ...] = ()
    reviews: tuple[ReviewRecord, ...] = ()
    retry_of: int | None = None  # the attempt this one retried ("Try again"), if any (issue 16)

    @property
    def latest_scorecard(self) -> ScorecardRecord | None:
        return self.scorecards[-1] if self.scorecards else None

    @property
    def current_scorecard(self) -> ScorecardRecord | None:
        """The scorecard of the transcript as it stands: None while the answer or a follow-up awaits a score
        (the newest card then describes less than the attempt holds)."""
        return self.latest_scorecard if self.status == "scored" else None


def scorecard_record(row: t.Scorecard) -> ScorecardRecord:
    return ScorecardRecord(row.id, row.scorer_version, dict(row.result), row.created_at)


def review_record(row: t.Review) -> ReviewRecord:
    return ReviewRecord(
        row.id,
        row.attempt_id,
        row.reviewer_id,
        ReviewLevels(**row.levels),
        row.comment,
        row.created_at,
        row.status,
        row.revision,
        {str(k): str(v) for k, v in (row.reasons or {}).items()},
        row.blind,
    )


def attempt_record(row: t.Attempt, session: Session | None = None) -> AttemptRecord:
    """The record; with a session, its turns, scorecards and reviews too."""
    turns: tuple[TurnRecord, ...] = ()
    scorecards: tuple[ScorecardRecord, ...] = ()
    reviews: tuple[ReviewRecord, ...] = ()
    if session is not None:
        turns = tuple(
            TurnRecord(r.position, r.question, r.answer, r.created_at, r.probes)
            for r in session.scalars(
                select(t.Turn).where(t.Turn.attempt_id == row.id).order_by(t.Turn.position)
            )
        )
        scorecards = tuple(
            scorecard_record(r)
            for r in session.scalars(
                select(t.Scorecard).where(t.Scorecard.attempt_id == row.id).order_by(t.Scorecard.id)
            )
        )
        reviews = tuple(
            review_record(r)
            for r in session.scalars(
                select(t.Review)
                .where(t.Review.attempt_id == row.id, t.Review.status == "current")
                .order_by(t.Review.id)
            )
        )
    return AttemptRecord(
        id=row.id,
        user_id=row.user_id,
        organisation_id=row.organisation_id,
        question_id=row.question_id,
        question_text=row.question_text,
        answer=row.answer,
        shared=row.shared,
        status="scored" if row.status == "scored" else "unscored",
        created_at=row.created_at,
        updated_at=row.updated_at,
        turns=turns,
        scorecards=scorecards,
        reviews=reviews,
        retry_of=row.retry_of,
    )
