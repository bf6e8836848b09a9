"""Reviews by the hiring team: entered blind, sealed, explained where they differ from the coach, revised with
their history kept; and the organisation's review policy.

A reviewer's levels and comment are stored the moment they are entered. If any component is two or more
levels from the coach's, the entry waits, "pending" and sealed (its levels can no longer change), until the
reviewer gives a one-line reason for each such gap; only then is it the reviewer's review ("current"), and
their earlier one, if any, becomes history ("replaced").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.rubric import COMPONENT_NAMES, COMPONENTS
from coach.rubric import overall as overall_of
from coach.storage import tables as t
from coach.storage.audit import Acting, acting
from coach.storage.database import Database
from coach.storage.permissions import Actor, NotFound, Permission, allows, authorise
from coach.storage.records import (
    AttemptRecord,
    ReviewLevels,
    ReviewRecord,
    ScorecardRecord,
    attempt_record,
    review_record,
)
from coach.storage.review_policy import ReviewPolicy, policy_of, redact, sight
from coach.storage.tables import Clock

MAX_COMMENT = 20_000
MAX_REASON = 300  # characters: one line
GAP = 2  # levels between a reviewer and the coach that need a reason


class ReviewError(CoachError):
    """A review that cannot be stored as given."""


@dataclass(frozen=True)
class Gap:
    component: str
    coach: int
    reviewer: int

    @property
    def difference(self) -> int:
        return self.reviewer - self.coach


@dataclass(frozen=True)
class Entered:
    """What became of an entry: saved as the reviewer's review, or waiting for reasons (`needs`)."""

    review: ReviewRecord
    gaps: tuple[Gap, ...]  # every component two or more levels from the coach's
    needs: tuple[str, ...]  # the components still without a reason; empty once saved

    @property
    def saved(self) -> bool:
        return self.review.status == "current"


@dataclass(frozen=True)
class RatedBy:
    rater: str  # the reviewer's email; each review of a deleted account is a rater of its own
    levels: dict[str, int]
    at: datetime


@dataclass(frozen=True)
class RatedAttempt:
    attempt_id: int
    coach: dict[str, int] | None
    reviews: list[RatedBy] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewSheet:
    """One shared attempt as this reviewer may see it now."""

    attempt: AttemptRecord  # with turns; scorecards and reviews as far as the reviewer may see them
    policy: ReviewPolicy
    coach: ScorecardRecord | None  # the current scorecard, if scored and visible
    coach_hidden: bool  # blind mode, and nothing entered yet
    others_hidden: bool  # blind mode, and the reviewer's own review not saved yet
    mine: ReviewRecord | None  # the reviewer's review in force
    pending: ReviewRecord | None  # levels entered and sealed, waiting for reasons
    history: tuple[ReviewRecord, ...]  # earlier revisions of the reviews shown, oldest first
    gaps: tuple[Gap, ...]  # of `pending`, else of `mine`, against the coach

    @property
    def others(self) -> tuple[ReviewRecord, ...]:
        return tuple(r for r in self.attempt.reviews if self.mine is None or r.id != self.mine.id)


def _levels(levels: ReviewLevels | Mapping[str, int]) -> ReviewLevels:
    try:
        return levels if isinstance(levels, ReviewLevels) else ReviewLevels.model_validate(dict(levels))
    except ValidationError:
        raise ReviewError(
            f"a review gives each of {', '.join(COMPONENTS[:-1])} and {COMPONENTS[-1]} a level from 0 to 4"
        ) from None


def coach_levels(session: Session, row: t.Attempt) -> dict[str, int] | None:
    """The coach's levels for the transcript as it stands: None while unscored (a follow-up waiting for its
    score included), refused, or stored without levels."""
    if row.status != "scored":
        return None
    card = session.scalars(
        select(t.Scorecard).where(t.Scorecard.attempt_id == row.id).order_by(t.Scorecard.id.desc()).limit(1)
    ).first()
    return None if card is None or card.levels is None else {c: int(card.levels[c]) for c in COMPONENTS}


def gaps(reviewer: Mapping[str, int], coach: Mapping[str, int] | None) -> tuple[Gap, ...]:
    if coach is None:
        return ()
    return tuple(Gap(c, coach[c], reviewer[c]) for c in COMPONENTS if abs(reviewer[c] - coach[c]) >= GAP)


def _reasons(given: Mapping[str, str] | None, wanted: tuple[Gap, ...]) -> dict[str, str]:
    """The one-line reasons for the gaps (others are dropped), each checked."""
    found = {}
    for gap in wanted:
        text = " ".join(str((given or {}).get(gap.component) or "").split())
        if len(text) > MAX_REASON:
            raise ReviewError(
                f"the reason for {COMPONENT_NAMES[gap.component]} is longer than one line ({MAX_REASON} characters)"
            )
        if text:
            found[gap.component] = text
    return found


def _shared(session: Session, actor: Actor, attempt_id: int) -> t.Attempt:
    """A shared attempt of the actor's organisation, for someone who may read those; else not found."""
    row = session.get(t.Attempt, attempt_id)
    if (
        row is None
        or row.organisation_id != actor.organisation_id
        or not row.shared
        or not allows(actor.role, Permission.READ_SHARED_ATTEMPTS)
    ):
        raise NotFound(f"no attempt {attempt_id}")
    return row


def _own(session: Session, actor: Actor, attempt_id: int, status: str) -> t.Review | None:
    return session.scalars(
        select(t.Review).where(
            t.Review.attempt_id == attempt_id,
            t.Review.reviewer_id == actor.user_id,
            t.Review.status == status,
        )
    ).first()


class Reviews:
    """Every call is authorised against the acting user; a reviewer reaches only their organisation's shared
    attempts, and what they see of them follows the organisation's policy (coach.storage.review_policy)."""

    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    # --- policy -----------------------------------------------------------------------------------

    def policy(self, actor: Actor | None) -> ReviewPolicy:
        with self._db.reading() as session:
            return policy_of(session, authorise(session, actor).organisation_id)

    def set_policy(
        self, actor: Actor | None, *, blind: bool | None = None, candidates_see_reviews: bool | None = None
    ) -> ReviewPolicy:
        """Admins only: blind review, and whether candidates see the reviews of their attempts."""
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            session, fresh = act.session, act.actor
            org = session.get(t.Organisation, fresh.organisation_id)
            assert org is not None  # users.organisation_id is a foreign key
            for name, value in (("blind_review", blind), ("candidates_see_reviews", candidates_see_reviews)):
                if value is not None and getattr(org, name) != value:
                    setattr(org, name, value)
                    act.audit(
                        f"organisation.{name}",
                        target_type="organisation",
                        target_id=org.id,
                        value=value,
                    )
            return ReviewPolicy(org.blind_review, org.candidates_see_reviews)

    # --- writing ----------------------------------------------------------------------------------

    def enter(
        self,
        actor: Actor | None,
        attempt_id: int,
        levels: ReviewLevels | Mapping[str, int],
        comment: str = "",
        reasons: Mapping[str, str] | None = None,
    ) -> Entered:
        """Store the reviewer's levels and comment: as their review, or sealed until the gaps have reasons."""
        checked = _levels(levels)
        if len(comment) > MAX_COMMENT:
            raise ReviewError(f"the comment is longer than {MAX_COMMENT:,} characters")
        with acting(self._db, actor, Permission.WRITE_REVIEW) as act:
            session, fresh = act.session, act.actor
            row = _shared(session, fresh, attempt_id)
            if row.user_id == fresh.user_id:
                raise ReviewError("you cannot review your own attempt")
            if _own(session, fresh, row.id, "pending") is not None:
                raise ReviewError("finish the review you entered first: give a reason for each marked gap")
            rules = policy_of(session, row.organisation_id)
            if rules.blind and not comment.strip():
                raise ReviewError(
                    "blind review needs a comment with your levels, before the coach's are shown"
                )
            current = _own(session, fresh, row.id, "current")
            found = gaps(checked.model_dump(), coach_levels(session, row))
            given = _reasons(reasons, found)
            needs = tuple(g.component for g in found if g.component not in given)
            entry = t.Review(
                attempt_id=row.id,
                reviewer_id=fresh.user_id,
                levels=checked.model_dump(),
                comment=comment,
                reasons=given,
                overall=overall_of(checked.model_dump()),
                # Blind: entered before the coach's levels were shown to this reviewer (a revision comes after).
                blind=rules.blind and current is None,
                status="pending" if needs else "current",
                revision=self._next_revision(session, fresh, row.id),
                created_at=self._now(),
            )
            if not needs and current is not None:
                current.status = "replaced"
                session.flush()  # one current review per reviewer: the old one steps aside first
            session.add(entry)
            session.flush()
            self._audit(act, row, entry, revised=current is not None)
            return Entered(review_record(entry), found, needs)

    def give_reasons(self, actor: Actor | None, attempt_id: int, reasons: Mapping[str, str]) -> Entered:
        """Complete a pending entry with a reason for each gap; it then becomes the reviewer's review."""
        with acting(self._db, actor, Permission.WRITE_REVIEW) as act:
            session, fresh = act.session, act.actor
            row = _shared(session, fresh, attempt_id)
            entry = _own(session, fresh, row.id, "pending")
            if entry is None:
                raise NotFound(f"no review waiting for reasons on attempt {attempt_id}")
            # Against the coach's levels now: a follow-up scored meanwhile may have moved them.
            found = gaps(entry.levels, coach_levels(session, row))
            given = {**entry.reasons, **_reasons(reasons, found)}
            needs = tuple(g.component for g in found if g.component not in given)
            if needs:
                names = ", ".join(COMPONENT_NAMES[c] for c in needs)
                raise ReviewError(f"say in one line why your level differs from the coach's for: {names}")
            current = _own(session, fresh, row.id, "current")
            if current is not None:
                current.status = "replaced"
                session.flush()
            entry.reasons = {g.component: given[g.component] for g in found}
            entry.status = "current"
            session.flush()
            self._audit(act, row, entry, revised=current is not None)
            return Entered(review_record(entry), found, ())

    @staticmethod
    def _next_revision(session: Session, actor: Actor, attempt_id: int) -> int:
        latest = session.scalar(
            select(func.max(t.Review.revision)).where(
                t.Review.attempt_id == attempt_id, t.Review.reviewer_id == actor.user_id
            )
        )
        return (latest or 0) + 1

    @staticmethod
    def _audit(act: Acting, row: t.Attempt, entry: t.Review, *, revised: bool) -> None:
        action = (
            "review.pending"
            if entry.status == "pending"
            else ("review.revise" if revised else "review.create")
        )
        act.audit(
            action,
            target_type="attempt",
            target_id=row.id,
            review_id=entry.id,
            blind=entry.blind,
        )

    # --- reading ----------------------------------------------------------------------------------

    def sheet(self, actor: Actor | None, attempt_id: int) -> ReviewSheet:
        """A shared attempt with what this reviewer may see of its scorecard and reviews."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            row = _shared(session, fresh, attempt_id)
            seen = sight(session, fresh, row)
            record = redact(session, fresh, row, attempt_record(row, session))
            rules = policy_of(session, row.organisation_id)
            mine = _own(session, fresh, row.id, "current")
            pending = _own(session, fresh, row.id, "pending")
            shown = {r.reviewer_id for r in record.reviews}
            history = session.scalars(
                select(t.Review)
                .where(t.Review.attempt_id == row.id, t.Review.status == "replaced")
                .order_by(t.Review.id)
            )
            coach = record.current_scorecard if seen.coach else None
            ours = pending or mine
            return ReviewSheet(
                attempt=record,
                policy=rules,
                coach=coach,
                coach_hidden=not seen.coach,
                others_hidden=not seen.reviews,
                mine=review_record(mine) if mine else None,
                pending=review_record(pending) if pending else None,
                history=tuple(review_record(r) for r in history if r.reviewer_id in shown),
                gaps=gaps(ours.levels, coach_levels(session, row)) if ours is not None and seen.coach else (),
            )

    def get_review(self, actor: Actor | None, review_id: int) -> ReviewRecord:
        """A review in force, for whoever may see it: its reviewer, the organisation's reviewers (after their
        own review, in blind mode), and its candidate if the organisation lets candidates see reviews."""
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            review = session.get(t.Review, review_id)
            if review is None or review.status != "current":
                raise NotFound(f"no review {review_id}")
            row = session.get(t.Attempt, review.attempt_id)
            assert row is not None  # reviews.attempt_id is a foreign key
            own_attempt = row.user_id == fresh.user_id
            reviewer = row.shared and allows(fresh.role, Permission.READ_SHARED_ATTEMPTS)
            if row.organisation_id != fresh.organisation_id or not (own_attempt or reviewer):
                raise NotFound(f"no review {review_id}")
            if review.reviewer_id != fresh.user_id and not sight(session, fresh, row).reviews:
                raise NotFound(f"no review {review_id}")
            return review_record(review)

    def ratings(self, actor: Actor | None) -> list[RatedAttempt]:
        """For the Agreement page: every shared attempt with a review in force, with the coach's current levels
        (None while unscored or refused) and each review's. The page shows figures over the organisation,
        never one attempt's scores."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            coach = case(
                (
                    t.Attempt.status == "scored",
                    select(t.Scorecard.levels)
                    .where(t.Scorecard.attempt_id == t.Attempt.id)
                    .order_by(t.Scorecard.id.desc())
                    .limit(1)
                    .correlate(t.Attempt)
                    .scalar_subquery(),
                ),
                else_=None,
            )
            rows = session.execute(
                select(
                    t.Review.attempt_id,
                    t.Review.id,
                    t.User.email,
                    t.Review.levels,
                    t.Review.created_at,
                    coach,
                )
                .join(t.Attempt, t.Attempt.id == t.Review.attempt_id)
                .outerjoin(t.User, t.User.id == t.Review.reviewer_id)
                .where(
                    t.Attempt.organisation_id == fresh.organisation_id,
                    t.Attempt.shared.is_(True),
                    t.Review.status == "current",
                )
                .order_by(t.Review.attempt_id, t.Review.id)
            ).all()
        found: dict[int, RatedAttempt] = {}
        for attempt_id, review_id, email, levels, at, card in rows:
            entry = found.setdefault(
                attempt_id, RatedAttempt(attempt_id, {c: int(card[c]) for c in COMPONENTS} if card else None)
            )
            rater = email or f"(deleted reviewer, review {review_id})"
            entry.reviews.append(RatedBy(rater, {c: int(levels[c]) for c in COMPONENTS}, at))
        return list(found.values())
